# The Flask rig's app (tests/e2e/stacks/flask.rs fills its markers); run as `python app.py`.
from flask import Flask, jsonify, request

app = Flask(__name__)
@@top@@
@@auth@@
@@cors@@


# The app's work on a POST: it fails, and nothing catches it (Flask answers 500).
def work(body):
    raise RuntimeError(f"cannot work on {body}")


@app.get("/api/items")
@@view@@
def items():
    return jsonify(items=[])


@app.get("/api/fail")
@@view@@
def fail_get():
    return jsonify(ok=True)


@app.post("/api/fail")
@@view@@
def fail_post():
    return jsonify(work(request.get_json()))
@@bottom@@


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=@@port@@)

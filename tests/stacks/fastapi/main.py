# The FastAPI rig's app (tests/e2e/stacks/fastapi.rs fills its markers); uvicorn serves main:app.
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
@@top@@

app = FastAPI()
@@cors@@
@@auth@@


@app.get("/api/items")
def items():
    return {"items": []}


@app.get("/api/fail")
def fail_get():
    return {"ok": True}


@app.post("/api/fail")
def fail_post(body: dict):
    raise RuntimeError(f"cannot work on {body}")
@@bottom@@
@@entry@@

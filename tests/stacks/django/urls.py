# The Django rig's views, URLs and auth middleware (tests/e2e/stacks/django.rs fills its markers).
import json

from django.http import HttpResponse, JsonResponse
from django.urls import path

@@helpers@@


class BearerAuth:
    """Answers 401 to any /api/ request without the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.headers.get("Authorization") != "Bearer token":
            return JsonResponse({"error": "unauthorized"}, status=401)
        return self.get_response(request)


# The app's work on a POST: it fails, and nothing catches it (Django answers 500).
def work(body):
    raise RuntimeError(f"cannot work on {body}")


@@view@@
def items(request):
    return JsonResponse({"items": []})


@@view@@
def fail(request):
    if request.method == "POST":
        return JsonResponse(work(json.loads(request.body)))
    return JsonResponse({"ok": True})


urlpatterns = [path("api/items", items), path("api/fail", fail)]

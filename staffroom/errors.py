"""Error pages in the site's layout (and JSON under /api/)."""

from django.http import JsonResponse
from django.shortcuts import render


def _json(request, status, detail):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=status)
    return None


def not_found(request, exception=None):
    return _json(request, 404, "Not found.") or render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return _json(request, 403, "You do not have permission to do that.") or render(
        request, "errors/403.html", status=403
    )


def bad_request(request, exception=None):
    return _json(request, 400, "Bad request.") or render(request, "errors/400.html", status=400)


def server_error(request):
    return _json(request, 500, "Something went wrong on our side.") or render(
        request, "errors/500.html", status=500
    )

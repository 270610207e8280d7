"""One NinjaAPI under /api/v1/, mounting each app's router; errors in one JSON shape."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tenancy.apiutils import AUTH
from tenancy.errors import DomainError

api = NinjaAPI(
    title="Staffroom API",
    version="1",
    description=(
        "Plan, deliver and evaluate teachers' professional development. Authenticate with a "
        "personal token: `Authorization: Bearer <token>`. Lists are keyset-paginated: follow "
        "`next`. Errors are `{detail, errors: [{field, message}]}`."
    ),
    auth=AUTH,
    urls_namespace="api",
)


def _error(request, status: int, detail: str, errors: list[dict] | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    errors = [
        {"field": _field(e.get("loc", ())), "message": e.get("msg", "Invalid value.")}
        for e in exc.errors
    ]
    return _error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(DomainError)
def _domain(request, exc: DomainError):
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return _error(request, exc.status, exc.message, errors)


@api.exception_handler(DjangoValidationError)
def _django_validation(request, exc: DjangoValidationError):
    errors = []
    if hasattr(exc, "message_dict"):
        for name, messages in exc.message_dict.items():
            errors += [{"field": name, "message": m} for m in messages]
    else:
        errors = [{"field": "body", "message": m} for m in exc.messages]
    return _error(request, 400, "The request could not be applied.", errors)


@api.exception_handler(DataError)
def _data_error(request, exc):
    # A value the database cannot store (out of range, say) is the caller's input at fault.
    return _error(request, 400, "A value is out of range or cannot be stored.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or "You do not have permission to do that.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "Authentication required: send `Authorization: Bearer <token>`.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def _mount() -> None:
    from booking.api import router as booking_router
    from offers.api import router as offers_router
    from people.api import router as people_router
    from people.api_import import router as imports_router
    from tenancy.api import router as tenancy_router

    api.add_router("/", tenancy_router)
    api.add_router("/", people_router)
    api.add_router("/", offers_router)
    api.add_router("/", booking_router)
    api.add_router("/", imports_router)


_mount()

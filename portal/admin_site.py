"""The admin site: Django's, refusing what PostgreSQL cannot take before any admin view runs.

Every admin view (every ModelAdmin's, the autocomplete, django-simple-history's) goes
through `admin_view`; requests carrying these answer 400 instead of a 500 from the database:
- a NUL byte in a parameter (a list filter, the search box, the autocomplete term): no
  PostgreSQL string can hold one;
- a date part (`held_on__year`, `__month`, `__day` …, as the date hierarchy sends) that is
  not a number of at most 4 digits: Python's dates overflow on 20 digits;
- a selected row for an action (`_selected_action`) that is not an id of that model.
The sign-in form refuses a user name longer than the user model allows (django-axes records
failed sign-ins, and its column is 255 characters).

The site also lets a ModelAdmin say how an autocomplete lists a row (`autocomplete_label`:
a province merged in 2025 says what it is part of now), and leaves out the navigation
sidebar, whose 300 pixels the meeting pages need at 1366 pixels (every page has breadcrumbs
and the index lists everything).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import MaxLengthValidator

DATE_PARTS = (
    "__year",
    "__iso_year",
    "__quarter",
    "__month",
    "__week",
    "__week_day",
    "__iso_week_day",
    "__day",
    "__hour",
    "__minute",
    "__second",
)


class AdminLoginForm(AdminAuthenticationForm):
    def clean_username(self):
        username = self.cleaned_data["username"]
        # AuthenticationForm shows the limit in the widget but never checks it.
        MaxLengthValidator(self.username_field.max_length or 150)(username)
        return username


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


class PortalAdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    enable_nav_sidebar = False

    def admin_view(self, view, cacheable=False):
        return super().admin_view(refuse_unusable_input(view), cacheable)

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


def refuse_unusable_input(view):
    """The view, answering 400 to parameters the database cannot take (module docstring)."""
    model_admin = getattr(view, "__self__", None)
    model = model_admin.model if isinstance(model_admin, admin.ModelAdmin) else None

    @wraps(view)
    def checked(request, *args, **kwargs):
        for params in (request.GET, request.POST):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest(f"{key[:50]!r}: a NUL character is not accepted")
        for key, value in request.GET.items():
            if key.endswith(DATE_PARTS) and not (value.isdecimal() and len(value) <= 4):
                raise BadRequest(f"{key[:50]}: expected a number of at most 4 digits")
        if model is not None and request.method == "POST":
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                try:
                    model._meta.pk.to_python(value)
                except ValidationError:
                    raise BadRequest(
                        f"{ACTION_CHECKBOX_NAME}: {value[:50]!r} is not an id"
                    ) from None
        return view(request, *args, **kwargs)

    return checked

"""Index and detail pages of people, organisations, directives and cities."""

from django.views.generic import DetailView, ListView

from meetings.models import City, Directive, Organization, Person


class EntityList(ListView):
    template_name = "meetings/entity_list.html"
    paginate_by = 50
    http_method_names = ["get", "head"]


class EntityDetail(DetailView):
    template_name = "meetings/entity_detail.html"
    http_method_names = ["get", "head"]


class PersonList(EntityList):
    model = Person


class PersonDetail(EntityDetail):
    model = Person


class OrganizationList(EntityList):
    model = Organization


class OrganizationDetail(EntityDetail):
    model = Organization


class DirectiveList(EntityList):
    model = Directive


class DirectiveDetail(EntityDetail):
    model = Directive


class CityList(EntityList):
    model = City


class CityDetail(EntityDetail):
    model = City

"""The data model: places, sources, meetings, entities and what joins them."""

from meetings.models.articles import Article
from meetings.models.corrections import Correctable, Tombstone
from meetings.models.data_version import DataVersion
from meetings.models.entities import Directive, Organization, Person
from meetings.models.fetched import FetchedPage, FetchKind, FetchOutcome
from meetings.models.links import DirectiveCitation, Metric, OrganizationMention, Participation
from meetings.models.meetings import (
    CitySource,
    Doubt,
    Meeting,
    MeetingRedirect,
    MeetingToReview,
    PeriodKind,
    ReviewStatus,
)
from meetings.models.places import City, Locality

__all__ = [
    "Article",
    "City",
    "CitySource",
    "Correctable",
    "DataVersion",
    "Directive",
    "DirectiveCitation",
    "Doubt",
    "FetchKind",
    "FetchOutcome",
    "FetchedPage",
    "Locality",
    "Meeting",
    "MeetingRedirect",
    "MeetingToReview",
    "Metric",
    "Organization",
    "OrganizationMention",
    "Participation",
    "PeriodKind",
    "Person",
    "ReviewStatus",
    "Tombstone",
]

"""Create (or bring up to date) the "Editors" group: correct extracted records, review
meetings, read their history, but never manage users or groups."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "Editors"

# model name → permission actions. Extracted rows: correct, add what the extractor missed,
# delete what it invented. Sources and tombstones: read only.
EDITOR_PERMISSIONS = {
    "meeting": ("view", "change", "delete"),
    "meetingtoreview": ("view", "change"),  # the review queue (a proxy of meetings)
    "participation": ("view", "add", "change", "delete"),
    "organizationmention": ("view", "add", "change", "delete"),
    "directivecitation": ("view", "add", "change", "delete"),
    "metric": ("view", "add", "change", "delete"),
    "person": ("view", "add", "change", "delete"),
    "organization": ("view", "add", "change", "delete"),
    "directive": ("view", "add", "change", "delete"),
    "article": ("view",),
    "city": ("view",),
    "locality": ("view",),
    "tombstone": ("view",),
}
HISTORY_MODELS = (
    "historicalmeeting",
    "historicalparticipation",
    "historicalorganizationmention",
    "historicaldirectivecitation",
    "historicalmetric",
    "historicalperson",
    "historicalorganization",
    "historicaldirective",
)


def editor_permission_codenames() -> list[str]:
    codenames = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    return sorted([*codenames, *(f"view_{model}" for model in HISTORY_MODELS)])


@transaction.atomic
def setup_editors(usernames=(), *, dry_run: bool = False) -> tuple[Group, list[str]]:
    """Create or update the group (its permissions are set exactly) and add these users to
    it as staff. Returns the group and the permission codenames it has."""
    wanted = editor_permission_codenames()
    permissions = list(
        Permission.objects.filter(content_type__app_label="meetings", codename__in=wanted)
    )
    missing = sorted(set(wanted) - {p.codename for p in permissions})
    if missing:
        raise CommandError(f"Permissions missing (run migrate first): {', '.join(missing)}")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(permissions)
    User = get_user_model()
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
    if dry_run:
        transaction.set_rollback(True)
    return group, wanted


class Command(BaseCommand):
    help = (
        'Create or update the "Editors" group (correct extracted records, review meetings, '
        "see history; no user management) and optionally add staff users to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="Users to make staff and add to it.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; change nothing."
        )

    def handle(self, *args, usernames, dry_run, verbosity, **options):
        group, codenames = setup_editors(usernames, dry_run=dry_run)
        if verbosity >= 2:
            for codename in codenames:
                self.stdout.write(f"  {codename}")
        head = "Dry run, nothing changed: " if dry_run else ""
        added = f"; added {', '.join(usernames)}" if usernames else ""
        if verbosity >= 1:
            self.stdout.write(f'{head}group "{EDITORS}" has {len(codenames)} permissions{added}')

"""Province-level units (tỉnh and thành phố trực thuộc trung ương)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.extraction.text import fold_name
from meetings.slugs import unique_slug


class City(models.Model):
    """A province-level unit, as named at the time of the meetings held there."""

    name = models.CharField(_("name"), max_length=100, unique=True)  # "Hà Nội"
    full_name = models.CharField(_("full name"), max_length=150, blank=True)  # "Thành phố Hà Nội"
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    slug = models.SlugField(_("address name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=10, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into (2025 reorganisation)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city or province")
        verbose_name_plural = _("cities and provinces")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold_name(self.name)
        if not self.slug:  # "Ninh Thuận" → "ninh-thuan", as ingest would make it
            self.slug = unique_slug(City, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:city_detail", kwargs={"slug": self.slug})


class Locality(models.Model):
    """A unit below the province (quận, huyện, thị xã, thành phố thuộc tỉnh), as at its meetings."""

    city = models.ForeignKey(
        City, verbose_name=_("province"), on_delete=models.PROTECT, related_name="localities"
    )
    name = models.CharField(_("name"), max_length=100)  # "Duy Tiên", "5"
    kind = models.CharField(_("kind"), max_length=30, blank=True)  # "thị xã", "quận"
    name_folded = models.CharField(max_length=100, editable=False)
    slug = models.SlugField(_("address name"), max_length=120, unique=True)

    class Meta:
        ordering = ["city__name", "name", "id"]
        verbose_name = _("district or town")
        verbose_name_plural = _("districts and towns")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "kind", "name_folded"], name="locality_unique_per_city"
            ),
        ]

    def __str__(self):
        return f"{self.label}, {self.city}"

    def save(self, *args, **kwargs):
        self.name_folded = fold_name(self.name)
        if not self.slug:  # as ingest makes it: "thi-xa-duy-tien-ha-nam"
            text = f"{self.kind} {self.name} {self.city.name}"
            self.slug = unique_slug(Locality, text, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:meeting_list") + f"?place={self.slug}"

    @property
    def label(self) -> str:
        """As Vietnamese readers write it: "thị xã Duy Tiên", "Quận 5"."""
        if self.name.isdigit():
            return f"{(self.kind or 'quận').capitalize()} {self.name}"
        return f"{self.kind} {self.name}".strip()

"""The user form of the admin with the desk's Ressort choice.

Writing is granted per Ressort through the "Autor: <Ressort>" groups, so an Autor needs the
group "Autor" *and* one of those. The form shows the desk's role groups as Wagtail does and,
instead of one checkbox per Ressort group, a "Ressorts" choice: an Autor without a Ressort
is refused with a message that says why (they could write nowhere), and the chosen
Ressorts' author groups are set on save. ``users_config.DeskUsersConfig`` replaces
Wagtail's users app config in ``INSTALLED_APPS`` to put these forms into its user views.
"""

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from redaktion.news.models import RessortPage

from .services import AUTOR, ressort_group_sync


class RessortChoiceMixin(forms.ModelForm):
    ressorts = forms.ModelMultipleChoiceField(
        queryset=RessortPage.objects.order_by("path"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ressorts (Autor)"),
        help_text=_("An Autor writes new articles only in the Ressorts ticked here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(
            desk_ressort_link__isnull=True
        ).order_by("name")
        if self.instance.pk:
            self.initial["ressorts"] = RessortPage.objects.filter(
                pk__in=self.instance.groups.filter(desk_ressort_link__isnull=False).values(
                    "desk_ressort_link__page_id"
                )
            )

    def clean(self):
        cleaned = super().clean()
        groups = {group.name for group in cleaned.get("groups") or ()}
        ressorts = cleaned.get("ressorts")
        if AUTOR in groups and not ressorts and not cleaned.get("is_superuser"):
            self.add_error(
                "ressorts",
                _("An Autor needs at least one Ressort: without one they can write nowhere."),
            )
        if ressorts and AUTOR not in groups:
            self.add_error(
                "ressorts", _("Ressorts are for the Autor group: tick Autor under Roles as well.")
            )
        return cleaned

    def _save_m2m(self):
        # Saving `groups` leaves only the role groups (the field does not list the Ressort
        # groups); the chosen Ressorts' author groups are added back after it.
        super()._save_m2m()
        ressort_groups = [
            ressort_group_sync(ressort=ressort) for ressort in self.cleaned_data["ressorts"]
        ]
        self.instance.groups.add(*ressort_groups)


class DeskUserCreationForm(RessortChoiceMixin, UserCreationForm):
    pass


class DeskUserEditForm(RessortChoiceMixin, UserEditForm):
    pass


class DeskUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return DeskUserEditForm if for_update else DeskUserCreationForm

"""Accounts: ``UserFactory``, staff and citizens, and role grants."""

from __future__ import annotations

from typing import Any

import factory

from tinhso.accounts.models import RoleAssignment, User, UserKind
from tinhso.units.models import Unit

PASSWORD = "Mat-khau-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    kind = UserKind.STAFF
    first_name = "Nguyễn"
    last_name = factory.Sequence(lambda n: f"Văn {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def staff_user(*, unit: Unit, **kwargs: Any) -> User:
    return UserFactory(kind=UserKind.STAFF, unit=unit, **kwargs)


def citizen(**kwargs: Any) -> User:
    return UserFactory(kind=UserKind.CITIZEN, unit=None, **kwargs)


def grant(user: User, role: str, unit: Unit) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if hasattr(user, "_tinhso_scopes"):
        del user._tinhso_scopes
    return assignment

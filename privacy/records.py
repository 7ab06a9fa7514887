"""Everything that belongs to a victim's record, found by following the relations down
from the victim: their cases, and everything recorded about those cases.

Followed generically (each model's reverse relations), so a model added later that
hangs off a case is part of the record without anyone remembering to list it; the
tests make every such model's fields say whether retention clears them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

from cases.models import Victim


def is_history_model(model: type[Model]) -> bool:
    return hasattr(model, "instance_type")  # simple_history's historical models


def child_relations(model: type[Model]) -> list[Any]:
    """The relations by which rows of other models belong to a row of ``model``."""
    return [
        relation
        for relation in model._meta.related_objects
        if (relation.one_to_many or relation.one_to_one)
        and not is_history_model(relation.related_model)
    ]


def record_models(root: type[Model] = Victim) -> list[type[Model]]:
    """Every model a victim's record reaches, parents before children."""
    seen: list[type[Model]] = [root]
    for model in seen:
        for relation in child_relations(model):
            if relation.related_model not in seen:
                seen.append(relation.related_model)
    return seen


@dataclass
class Record:
    """The rows of one victim's record, by model, in the order they were reached."""

    rows: dict[type[Model], dict[int, Model]] = field(default_factory=lambda: defaultdict(dict))

    def ids(self, model: type[Model]) -> list[int]:
        return sorted(self.rows.get(model, {}))

    def models(self) -> list[type[Model]]:
        return [model for model, rows in self.rows.items() if rows]

    def history(self, model: type[Model]) -> QuerySet[Any] | None:
        """The history rows of ``model`` that belong to this record: those of its rows, and
        those that point at a row of the record (a contact deleted long ago, say)."""
        history = getattr(model, "history", None)
        if history is None or not hasattr(history, "model"):
            return None
        historical = history.model
        belongs = Q(id__in=self.ids(model))
        for field_ in historical._meta.concrete_fields:
            target = getattr(field_, "related_model", None)
            if field_.is_relation and target in self.rows and field_.name != "history_user":
                belongs |= Q(**{f"{field_.attname}__in": self.ids(target)})
        return historical.objects.filter(belongs)


def collect(victim: Victim) -> Record:
    """Every row of ``victim``'s record."""
    return collect_from(Victim, [victim.pk])


def collect_from(root: type[Model], ids: list[int]) -> Record:
    """The rows ``ids`` of ``root`` and every row below them, following each child relation."""
    record = Record()
    for row in root._base_manager.filter(pk__in=ids):
        record.rows[root][row.pk] = row
    queue: list[tuple[type[Model], list[int]]] = [(root, record.ids(root))]
    while queue:
        model, ids = queue.pop(0)
        for relation in child_relations(model):
            child = relation.related_model
            found = [
                row
                for row in child._base_manager.filter(**{f"{relation.field.name}__in": ids})
                if row.pk not in record.rows[child]
            ]
            for row in found:
                record.rows[child][row.pk] = row
            if found:
                queue.append((child, [row.pk for row in found]))
    return record


def labels(models: Iterable[type[Model]]) -> list[str]:
    return [model._meta.label for model in models]

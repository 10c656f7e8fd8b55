"""What the audit log says to people: a sentence for every verb, a link for every kind of object.

The apps own their verbs: each registers its sentences (`register_verbs`) and the pages of its objects
(`register_links`) from its AppConfig.ready(), so branches needs to import none of them. A sentence is the
predicate only ("approved the pre-candidates", 批准了预备人选); `sentence()` puts the actor's whole name in
front of it. tests/branches/test_audit_log.py proves that every verb the code passes to log_action() or
transition() has a sentence here.

Rendering costs no query: the entry's actor (with his member row) and content type come with the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

SENTENCES: dict[str, Promise | str] = {}
LINKS: dict[str, str] = {}  # "app_label.model" -> URL name taking the object's pk


def register_verbs(sentences: Mapping[str, Promise | str]) -> None:
    for verb, text in sentences.items():
        if verb in SENTENCES and SENTENCES[verb] != text:
            raise ValueError(f"audit verb {verb!r} registered twice")
        SENTENCES[verb] = text


def register_links(links: Mapping[str, str]) -> None:
    LINKS.update({label.lower(): name for label, name in links.items()})


def action_of(verb: str) -> str:
    """The predicate for a verb; an unknown verb (an old row) reads as "made a change"."""
    text = SENTENCES.get(verb)
    return str(text) if text is not None else _("made a change")


def actor_name(entry) -> str:
    actor = entry.actor
    if actor is None:
        return _("The system")
    return actor.display_name


def sentence(entry) -> str:
    return _("%(actor)s %(action)s") % {"actor": actor_name(entry), "action": action_of(entry.verb)}


def object_url(entry) -> str:
    ct = entry.content_type
    if ct is None or not entry.object_id:
        return ""
    name = LINKS.get(f"{ct.app_label}.{ct.model}")
    if name is None:
        return ""
    try:
        return reverse(name, args=[int(entry.object_id)])
    except (NoReverseMatch, ValueError):
        return ""


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    single: bool  # a value, not old → new


def _field_words(model, key: str):
    """The field's verbose name and its choice labels, when the object's model has such a field."""
    if model is None:
        return key, {}
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return key, {}
    label = getattr(field, "verbose_name", None) or key
    if field.is_relation or not getattr(field, "choices", None):
        return str(label), {}  # a relation's flatchoices would query its whole table
    return str(label), {str(v): str(t) for v, t in field.flatchoices}


def _word(value, choices: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "、".join(_word(v, choices) for v in value)
    return choices.get(str(value), str(value))


def changes_of(entry) -> list[Change]:
    """The entry's changes in words: field names and choice labels from the object's model; a pair
    [old, new] reads old → new ([None, new]: the new value alone); anything else (a name, a count) is one
    value, never split into letters."""
    ct = entry.content_type
    model = ct.model_class() if ct is not None else None
    rows = []
    for key, value in (entry.changes or {}).items():
        if value in (None, "", [], {}):
            continue  # nothing to tell (an empty list of co-signers)
        label, choices = _field_words(model, key)
        if isinstance(value, list | tuple) and len(value) == 2:
            before, after = value
            if before in (None, ""):
                rows.append(Change(label, "", _word(after, choices), single=True))
            else:
                rows.append(Change(label, _word(before, choices), _word(after, choices), single=False))
        else:
            rows.append(Change(label, "", _word(value, choices), single=True))
    return rows

"""Forms of the organiser pages, and the reading of a member's ballot from its POST."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Member
from branches.rules import is_ascii_digits

from .models import PollKind, RulePreset, Secrecy
from .services import BallotError


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PollKind.choices)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.SECRET)
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("Candidate polls: how many are elected."),
    )
    allow_write_in = forms.BooleanField(label=_("Write-ins allowed (另选他人)"), required=False)
    scale = forms.CharField(
        label=_("Rating scale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Rating polls: one value per line, best first, e.g. 称职 / 基本称职 / 不称职."),
    )
    rule_preset = forms.ChoiceField(
        label=_("Rule set"), choices=[("", _("By the kind of poll"))] + RulePreset.choices, required=False
    )

    def clean_scale(self) -> list[list[str]]:
        lines = [line.strip() for line in self.cleaned_data["scale"].splitlines() if line.strip()]
        return [[str(i), line[:40]] for i, line in enumerate(lines, start=1)]


class OptionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class ScrutineerForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Scrutineer"), queryset=Member.objects.none())

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class PaperIssueForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    assisted = forms.BooleanField(label=_("Assisted by a non-candidate"), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


def passphrases_from(post, scrutineers) -> dict[int, str]:
    """{scrutineer id: passphrase} from fields named p<id>; blank ones left out."""
    return {s.pk: post.get(f"p{s.pk}", "") for s in scrutineers if post.get(f"p{s.pk}")}


def seal_passphrases(post, scrutineers) -> dict[int, str]:
    """Each scrutineer types his passphrase twice; a mismatch is refused before anything is made."""
    chosen = {}
    for s in scrutineers:
        first, second = post.get(f"p{s.pk}", ""), post.get(f"c{s.pk}", "")
        if first != second:
            raise BallotError(gettext("%(name)s: the two passphrases differ.") % {"name": s.member.name})
        chosen[s.pk] = first
    return chosen


@dataclass
class BallotPost:
    marks: dict[str, str]
    write_ins: list[str]
    key: str
    assisted: bool
    confirmed: bool = False  # the voter said yes to a blank or partly marked ballot


def read_ballot(post) -> BallotPost:
    """A member's ballot as posted: o<option id> = mark, w = written-in member ids, key = idempotency key.

    Anything that is not this shape is refused as damaged; the service checks the rest (forged options,
    over-votes, write-ins) with the poll's rules.
    """
    key = post.get("key", "")
    if not key or len(post.getlist("key")) != 1:
        raise BallotError(
            gettext("The ballot form was incomplete or damaged; reload the page and vote again.")
        )
    marks = {}
    for name, values in post.lists():
        if not name.startswith("o"):
            continue
        option_id = name[1:]
        if not is_ascii_digits(option_id) or len(values) != 1 or len(option_id) > 12:
            raise BallotError(
                gettext("The ballot form was incomplete or damaged; reload the page and vote again.")
            )
        if values[0]:
            marks[option_id] = values[0]
    write_ins = [w for w in post.getlist("w") if w != ""]
    if len(write_ins) > 50:
        raise BallotError(
            gettext("The ballot form was incomplete or damaged; reload the page and vote again.")
        )
    return BallotPost(
        marks=marks,
        write_ins=write_ins,
        key=key,
        assisted=post.get("assisted") == "on",
        confirmed=post.get("confirm") == "1",
    )


def read_paper_count(post, poll, options) -> dict:
    """The counter's figures: returned, invalid, blank, t<option>_<choice>, and write-in rows wm<i>/wn<i>."""

    def number(name: str) -> int:
        raw = (post.get(name) or "0").strip()
        if not is_ascii_digits(raw) or len(raw) > 7:
            raise BallotError(gettext("Counts are whole numbers, zero or more."))
        return int(raw)

    if not (post.get("returned") or "").strip():
        raise BallotError(gettext("Enter the count: the ballots returned, then the marks of each line."))
    totals = {
        str(o.pk): {choice: number(f"t{o.pk}_{choice}") for choice in poll.choice_values} for o in options
    }
    write_ins: dict[str, int] = {}
    for i in range(10):
        member_id = (post.get(f"wm{i}") or "").strip()
        if not member_id:
            continue
        if not is_ascii_digits(member_id):
            raise BallotError(gettext("A written-in person is not an eligible member."))
        write_ins[member_id] = write_ins.get(member_id, 0) + number(f"wn{i}")
    return {
        "returned": number("returned"),
        "invalid": number("invalid"),
        "blank": number("blank"),
        "totals": totals,
        "write_ins": write_ins,
        "void_write_ins": number("wvoid"),
    }

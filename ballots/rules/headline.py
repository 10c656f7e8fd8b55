"""The result stated in words: the sentence a page, the result PDF and a disclosure open with.

Pure: from a result's outcome and figures and the rule snapshot it was judged under, with the arithmetic of
`branches.rules`, e.g. 通过：赞成26票，超过应到会有表决权人数50人的半数（26 > 25）. For candidate polls one
sentence per candidate (elected or not, and against which threshold).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from branches import rules as arithmetic


def _fraction_words(fraction) -> str:
    if list(fraction) == [1, 2]:
        return _("half")
    if list(fraction) == [2, 3]:
        return _("two thirds")
    return f"{fraction[0]}/{fraction[1]}"


def _base_words(kind: str, rules: dict) -> str:
    if rules.get("threshold_base") == "present":
        return _("electors present") if kind == "candidates" else _("voting members present")
    return _("electors expected (应到)") if kind == "candidates" else _("voting members expected (应到)")


def _judged(kind: str, rules: dict, votes: int, base: int) -> tuple[bool, dict]:
    """Whether `votes` clear the threshold on `base`, and the words to say so."""
    fraction, inclusive = rules["threshold"], bool(rules.get("threshold_inclusive"))
    values = {
        "n": votes,
        "base": base,
        "who": _base_words(kind, rules),
        "fraction": _fraction_words(fraction),
        "verb": _("at least") if inclusive else _("more than"),
        "cmp": "≥" if inclusive else ">",
        "limit": arithmetic.share_text(base, fraction),
        "needed": arithmetic.votes_needed(base, fraction, inclusive=inclusive),
    }
    return arithmetic.exceeds(votes, base, fraction, inclusive=inclusive) and base > 0, values


def result_sentences(
    *,
    kind: str,
    seats: int,
    rules: dict,
    outcome: dict,
    figures: dict,
    labels: dict[str, str],
    void_required: bool = False,
) -> list[str]:
    """The headline first, then (candidate polls) one sentence per candidate and written-in person.

    `labels` names the outcome's keys: "o<option id>" and "m<member id>" for candidates, the option id for
    motions and ratings."""
    if void_required:
        return [_("Void: more ballots were returned than members voted; the round is voted again.")]
    totals = figures["total"]["totals"]
    if kind == "motion":
        return [_motion_sentence(rules, outcome, totals, option_id, labels) for option_id in totals]
    if kind == "candidates":
        return _candidate_sentences(seats, rules, outcome, figures, labels)
    return [
        _("%(label)s: %(shares)s")
        % {
            "label": labels.get(option_id, option_id),
            "shares": "，".join(
                f"{labels.get(f'choice:{value}', value)} {share}%"
                for value, share in outcome["options"].get(option_id, {}).get("shares", {}).items()
            ),
        }
        for option_id in totals
    ]


def motion_sentence(rules: dict, votes_for: int, base: int) -> str:
    """Passed or not, with the rule and the numbers: also for a caller that adds votes of its own (written
    opinions of absent members, in motions)."""
    passed, values = _judged("motion", rules, votes_for, base)
    if passed:
        sentence = _(
            "Passed: %(n)d for, %(verb)s %(fraction)s of the %(base)d %(who)s (%(n)d %(cmp)s %(limit)s)"
        )
    else:
        sentence = _(
            "Not passed: %(n)d for, not %(verb)s %(fraction)s of the %(base)d %(who)s (%(needed)d needed)"
        )
    return sentence % values


def _motion_sentence(rules, outcome, totals, option_id, labels) -> str:
    base = outcome["options"].get(option_id, {}).get("base", outcome.get("base", 0))
    sentence = motion_sentence(rules, totals[option_id].get("for", 0), base)
    return sentence if len(totals) == 1 else f"{labels.get(option_id, option_id)}：{sentence}"


def _candidate_sentences(seats, rules, outcome, figures, labels) -> list[str]:
    base = outcome.get("base", 0)
    elected, tied = set(outcome.get("elected", [])), set(outcome.get("tied", []))
    votes = {f"o{o}": row.get("for", 0) for o, row in figures["total"]["totals"].items()}
    votes.update({f"m{m}": n for m, n in figures["total"]["write_ins"].items()})
    head = _("%(elected)d of %(seats)d seats filled") % {"elected": len(elected), "seats": seats}
    if outcome.get("tie_seats"):
        head += _("; %(n)d seat(s) to a runoff among the tied") % {"n": outcome["tie_seats"]}
    lines = [head]
    for key, n in sorted(votes.items(), key=lambda item: -item[1]):
        cleared, values = _judged("candidates", rules, n, base)
        values["name"] = labels.get(key, key)
        values["seats"] = seats
        if key in elected:
            line = _(
                "%(name)s: elected, %(n)d for, %(verb)s %(fraction)s of the %(base)d %(who)s (%(n)d %(cmp)s %(limit)s)"
            )
        elif key in tied:
            line = _("%(name)s: tied at %(n)d for the last seat; a runoff among the tied decides")
        elif cleared:
            line = _(
                "%(name)s: not elected, %(n)d for: over the threshold, but the %(seats)d seat(s) went to more votes"
            )
        else:
            line = _(
                "%(name)s: not elected, %(n)d for, not %(verb)s %(fraction)s of the %(base)d %(who)s "
                "(%(needed)d needed)"
            )
        lines.append(line % values)
    return lines

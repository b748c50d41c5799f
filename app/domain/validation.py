"""The Kiesraad's consistency checks on the preliminary count, with their official codes.

Codes, conditions and Dutch texts follow the Kiesraad's counting software Abacus (kiesraad/abacus:
``backend/src/data_entry/domain/**``, ``documentatie/use-cases/validatieregels-plausibiliteitschecks-
tellingen.md``, ``frontend/src/i18n/locales/nl/feedback_GSB.json``). The Dutch text of each rule is
the first paragraph of its docstring (the coordinator's title in Abacus); the rest of the docstring is
the official condition. English texts are ours. ``docs/validation-rules.md`` lists them all.

F.xxx are errors: they block submission. W.xxx are warnings: the chair must explain them.
Only integer arithmetic is used: percentages are compared as ``100 * x >= p * H``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.counting import (
    CountForm,
    CountingMethod,
    PoliticalGroupVotes,
    check_voter_cards,
    is_municipal,
    political_group_field,
)
from app.domain.errors import InvalidInput
from app.domain.ids import ELECTION_KINDS


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One finding: its code, the fields it is shown at, and its text in Dutch and English."""

    code: str
    fields: tuple[str, ...]
    text_nl: str
    text_en: str
    political_group_number: int | None = None

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.code.startswith("F") else Severity.WARNING


@dataclass(frozen=True)
class ValidationResult:
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def blocks_submission(self) -> bool:
        return bool(self.errors)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(issue.code for issue in (*self.errors, *self.warnings))

    def for_field(self, field: str) -> tuple[Issue, ...]:
        """Issues to show at ``field`` (errors first)."""
        return tuple(i for i in (*self.errors, *self.warnings) if field in i.fields)

    def unexplained_warnings(self, explanations: Mapping[str, str]) -> tuple[Issue, ...]:
        """Warnings with no non-blank explanation in ``explanations`` (keyed by code, e.g. ``W.201``)."""
        return tuple(w for w in self.warnings if not (explanations.get(w.code) or "").strip())


@dataclass(frozen=True)
class _Context:
    form: CountForm
    counting_method: CountingMethod
    election_kind: str


@dataclass(frozen=True)
class Finding:
    fields: tuple[str, ...]
    political_group_number: int | None = None
    variant: str | None = None


Check = Callable[[_Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule: code, Dutch text (first paragraph of the check's docstring), English text, fields."""

    code: str
    text_nl: str
    condition_nl: str
    text_en: str
    fields: tuple[str, ...]
    check: Check
    dso_only: bool = False
    variants: Mapping[str, tuple[str, str]] | None = None

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.code.startswith("F") else Severity.WARNING

    def issues(self, context: _Context) -> Iterator[Issue]:
        for finding in self.check(context):
            text_nl, text_en = self.text_nl, self.text_en
            if finding.variant and self.variants:
                text_nl, text_en = self.variants[finding.variant]
            number = finding.political_group_number
            if number is not None:
                text_nl = text_nl.replace("{political_group_number}", str(number))
                text_en = text_en.replace("{political_group_number}", str(number))
            yield Issue(self.code, finding.fields, text_nl, text_en, number)


RULES: dict[str, Rule] = {}
"""Every rule by code, in code order. The documentation test checks this against the docs and tests."""


def rule(
    code: str,
    *,
    text_en: str,
    fields: tuple[str, ...],
    dso_only: bool = False,
    variants: Mapping[str, tuple[str, str]] | None = None,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        doc = inspect.cleandoc(check.__doc__ or "")
        text_nl, _, condition = doc.partition("\n\n")
        if not text_nl or code in RULES:
            raise ValueError(f"rule {code}: needs a unique code and its Dutch text as docstring")
        RULES[code] = Rule(
            code,
            text_nl.replace("\n", " "),
            condition.replace("\n", " "),
            text_en,
            fields,
            check,
            dso_only,
            variants,
        )
        return check

    return register


# --- F.2xx: totals ----------------------------------------------------------------------------------

BOX_A, BOX_B, BOX_C = "poll_card_count", "proxy_certificate_count", "voter_card_count"
BOX_D = "total_admitted_voters_count"
BOX_E, BOX_F, BOX_G = "votes_candidates_count", "blank_votes_count", "invalid_votes_count"
BOX_H = "total_votes_cast_count"
BOX_I, BOX_J = "more_ballots_count", "fewer_ballots_count"
COMPARE_D_H = "compare_votes_cast_admitted_voters"
ACCOUNTED_FOR = "difference_completely_accounted_for"
E_X = "political_group_votes.<n>.total"


def _group_totals(form: CountForm) -> tuple[str, ...]:
    return tuple(political_group_field(g.number) for g in form.political_group_votes)


def _f204_applies(form: CountForm) -> bool:
    return form.votes_candidates_count == 0 and form.political_group_total_votes_sum > 0


@rule(
    "F.201",
    text_en="A, B and C do not add up to D",
    fields=(BOX_A, BOX_B, BOX_C, BOX_D),
    variants={"without_c": ("A en B tellen niet op tot D", "A and B do not add up to D")},
)
def f201(ctx: _Context) -> Iterator[Finding]:
    """A, B en C tellen niet op tot D

    stempassen + volmachtbewijzen (+ kiezerspassen) <> totaal toegelaten kiezers
    """
    form = ctx.form
    if (
        form.poll_card_count + form.proxy_certificate_count + (form.voter_card_count or 0)
        != form.total_admitted_voters_count
    ):
        if is_municipal(ctx.election_kind):
            yield Finding((BOX_A, BOX_B, BOX_D), variant="without_c")
        else:
            yield Finding((BOX_A, BOX_B, BOX_C, BOX_D))


@rule("F.202", text_en="The votes per list do not add up to E", fields=(E_X, BOX_E))
def f202(ctx: _Context) -> Iterator[Finding]:
    """De stemmen op lijsten tellen niet op tot E

    E.1 t/m E.n tellen niet op naar E (niet getoond als F.204 getoond wordt)
    """
    form = ctx.form
    if not _f204_applies(form) and form.political_group_total_votes_sum != form.votes_candidates_count:
        yield Finding((*_group_totals(form), BOX_E))


@rule("F.203", text_en="E, F and G do not add up to H", fields=(BOX_E, BOX_F, BOX_G, BOX_H))
def f203(ctx: _Context) -> Iterator[Finding]:
    """E, F en G tellen niet op tot H

    stemmen op kandidaten + blanco stemmen + ongeldige stemmen <> totaal aantal uitgebrachte stemmen
    (niet getoond als F.204 getoond wordt)
    """
    form = ctx.form
    if not _f204_applies(form) and (
        form.votes_candidates_count + form.blank_votes_count + form.invalid_votes_count
        != form.total_votes_cast_count
    ):
        yield Finding((BOX_E, BOX_F, BOX_G, BOX_H))


@rule("F.204", text_en="The total of votes for candidates (E) is not filled in", fields=(BOX_E, E_X))
def f204(ctx: _Context) -> Iterator[Finding]:
    """Het totaal aantal stemmen op kandidaten is niet ingevuld

    E is leeg of 0, terwijl E.1 t/m E.n samen groter dan 0 zijn
    """
    if _f204_applies(ctx.form):
        yield Finding((BOX_E, *_group_totals(ctx.form)))


# --- F.3xx: the D/H comparison and the difference boxes I and J ---------------------------------------

EQUAL = f"{COMPARE_D_H}.admitted_voters_equal_votes_cast"
GREATER = f"{COMPARE_D_H}.votes_cast_greater_than_admitted_voters"
SMALLER = f"{COMPARE_D_H}.votes_cast_smaller_than_admitted_voters"


@rule("F.301", text_en="The numbers filled in at D and H are not equal", fields=(EQUAL,))
def f301(ctx: _Context) -> Iterator[Finding]:
    """De getallen die zijn ingevuld bij D en H zijn niet gelijk

    Vergelijk D en H: het vakje 'D en H zijn gelijk' is aangevinkt, maar D is niet gelijk aan H
    """
    form = ctx.form
    if (
        form.admitted_voters_equal_votes_cast
        and form.total_admitted_voters_count != form.total_votes_cast_count
    ):
        yield Finding((EQUAL,))


@rule("F.302", text_en="The number filled in at H is not greater than D", fields=(GREATER,))
def f302(ctx: _Context) -> Iterator[Finding]:
    """Het getal dat is ingevuld bij H is niet groter dan D

    Vergelijk D en H: het vakje 'H is groter dan D' is aangevinkt, maar H is kleiner dan of gelijk aan D
    """
    form = ctx.form
    if form.votes_cast_greater_than_admitted_voters and (
        form.total_votes_cast_count <= form.total_admitted_voters_count
    ):
        yield Finding((GREATER,))


@rule("F.303", text_en="The number filled in at H is not smaller than D", fields=(SMALLER,))
def f303(ctx: _Context) -> Iterator[Finding]:
    """Het getal dat is ingevuld bij H is niet kleiner dan D

    Vergelijk D en H: het vakje 'H is kleiner dan D' is aangevinkt, maar H is groter dan of gelijk aan D
    """
    form = ctx.form
    if form.votes_cast_smaller_than_admitted_voters and (
        form.total_votes_cast_count >= form.total_admitted_voters_count
    ):
        yield Finding((SMALLER,))


@rule("F.304", text_en="This question must have exactly one answer", fields=(COMPARE_D_H,))
def f304(ctx: _Context) -> Iterator[Finding]:
    """Deze vraag moet precies één antwoord hebben

    Vergelijk D en H: er zijn meerdere vakjes aangevinkt of er is geen enkel vakje aangevinkt
    """
    form = ctx.form
    ticked = (
        form.admitted_voters_equal_votes_cast,
        form.votes_cast_greater_than_admitted_voters,
        form.votes_cast_smaller_than_admitted_voters,
    )
    if sum(ticked) != 1:
        yield Finding((COMPARE_D_H,))


@rule("F.305", text_en="Check I and J", fields=(BOX_I, BOX_J))
def f305(ctx: _Context) -> Iterator[Finding]:
    """Controleer I en J

    Als D gelijk is aan H: I en/of J zijn ingevuld
    """
    form = ctx.form
    filled = tuple(f for f, v in ((BOX_I, form.more_ballots_count), (BOX_J, form.fewer_ballots_count)) if v)
    if form.total_admitted_voters_count == form.total_votes_cast_count and filled:
        yield Finding(filled)


@rule("F.306", text_en="Check the number of extra votes counted (I)", fields=(BOX_I,))
def f306(ctx: _Context) -> Iterator[Finding]:
    """Controleer aantal méér getelde stemmen (I)

    Als H groter is dan D: I is kleiner of groter dan H - D
    """
    form = ctx.form
    d, h = form.total_admitted_voters_count, form.total_votes_cast_count
    if h > d and form.more_ballots_count != h - d:
        yield Finding((BOX_I,))


@rule("F.307", text_en="Check whether I and J have been swapped", fields=(BOX_I, BOX_J))
def f307(ctx: _Context) -> Iterator[Finding]:
    """Controleer of I en J verwisseld zijn

    Als H groter is dan D: J is ingevuld
    """
    form = ctx.form
    if form.total_votes_cast_count > form.total_admitted_voters_count and form.fewer_ballots_count:
        yield Finding((BOX_I, BOX_J))


@rule("F.308", text_en="Check the number of fewer votes counted (J)", fields=(BOX_J,))
def f308(ctx: _Context) -> Iterator[Finding]:
    """Controleer aantal minder getelde stemmen (J)

    Als H kleiner is dan D: J is kleiner of groter dan D - H
    """
    form = ctx.form
    d, h = form.total_admitted_voters_count, form.total_votes_cast_count
    if h < d and form.fewer_ballots_count != d - h:
        yield Finding((BOX_J,))


@rule("F.309", text_en="Check whether I and J have been swapped", fields=(BOX_I, BOX_J))
def f309(ctx: _Context) -> Iterator[Finding]:
    """Controleer of I en J verwisseld zijn

    Als H kleiner is dan D: I is ingevuld
    """
    form = ctx.form
    if form.total_votes_cast_count < form.total_admitted_voters_count and form.more_ballots_count:
        yield Finding((BOX_I, BOX_J))


@rule("F.310", text_en="This question must have exactly one answer", fields=(ACCOUNTED_FOR,))
def f310(ctx: _Context) -> Iterator[Finding]:
    """Deze vraag moet precies één antwoord hebben

    Als D kleiner of groter is dan H en bij de verklaring voor het verschil is niks aangevinkt of 'ja'
    en 'nee' aangevinkt
    """
    form = ctx.form
    answers = form.difference_completely_accounted_for_yes + form.difference_completely_accounted_for_no
    if form.total_admitted_voters_count != form.total_votes_cast_count and answers != 1:
        yield Finding((ACCOUNTED_FOR,))


@rule(
    "F.313",
    text_en="D and H are equal, so there is no unexplained difference. Question 2.3.2 must be skipped.",
    fields=(ACCOUNTED_FOR,),
    dso_only=True,
)
def f313(ctx: _Context) -> Iterator[Finding]:
    """D en H zijn gelijk, dus er is geen onverklaard verschil. Vraag 2.3.2 moet overgeslagen worden.

    Als D gelijk is aan H en bij de vraag of het verschil tussen D en H volledig verklaard is, is 'ja'
    en/of 'nee' aangevinkt
    """
    # Abacus (feedback_GSB_DSO.json, F313) has the text; the condition is ours, read from it. Question
    # 2.3.2 is the station's own form (N 10-1 under decentral counting), so the text is kept verbatim.
    form = ctx.form
    answered = form.difference_completely_accounted_for_yes or form.difference_completely_accounted_for_no
    if form.total_admitted_voters_count == form.total_votes_cast_count and answered:
        yield Finding((ACCOUNTED_FOR,))


# --- F.4xx: candidates and list totals (DSO only) ------------------------------------------------------

LIST_TOTAL = "political_group_votes.<n>.candidates_total"
CANDIDATES = "political_group_votes.<n>.candidate_votes.<c>"


def _f401_applies(group: PoliticalGroupVotes) -> bool:
    return (group.candidate_votes_sum > 0 or group.total > 0) and not group.candidates_total


@rule("F.401", text_en="The list total is not filled in", fields=(LIST_TOTAL,), dso_only=True)
def f401(ctx: _Context) -> Iterator[Finding]:
    """Het totaal van de lijst is niet ingevuld

    Er zijn stemmen op kandidaten (of het lijsttotaal van corresponderende E.n is groter dan 0) en het
    totaal aantal stemmen op een lijst is leeg of 0
    """
    for group in ctx.form.political_group_votes:
        if _f401_applies(group):
            yield Finding((political_group_field(group.number, "candidates_total"),), group.number)


@rule(
    "F.402",
    text_en="The votes for the candidates do not add up to the list total",
    fields=(LIST_TOTAL, CANDIDATES),
    dso_only=True,
)
def f402(ctx: _Context) -> Iterator[Finding]:
    """De stemmen op kandidaten tellen niet op tot het lijsttotaal

    Als F.401 niet getoond wordt: het totaal aantal stemmen op een lijst is kleiner of groter dan de som
    van het aantal stemmen op de kandidaten van die lijst
    """
    for group in ctx.form.political_group_votes:
        if not _f401_applies(group) and (group.candidates_total or 0) != group.candidate_votes_sum:
            fields = (
                political_group_field(group.number, "candidates_total"),
                *(
                    political_group_field(group.number, f"candidate_votes.{c.number}")
                    for c in group.candidate_votes
                ),
            )
            yield Finding(fields, group.number)


@rule(
    "F.403",
    text_en="Check the list total and E.{political_group_number}",
    fields=(LIST_TOTAL, E_X),
    dso_only=True,
)
def f403(ctx: _Context) -> Iterator[Finding]:
    """Controleer het totaal van de lijst en E.{political_group_number}

    Als F.401 niet getoond wordt: het totaal aantal stemmen op een lijst komt niet overeen met het
    lijsttotaal van de corresponderende E.n
    """
    # Abacus's coordinator title goes on "... in rubriek 3.2 (eerste zitting) of 2.2 (volgende zitting)":
    # sections of the municipal committee's form, which the chair does not have. The chair's text is
    # that title up to E.n (its typist title is "Controleer het totaal van de lijst"); both boxes are
    # on the station's own form and the finding is shown at both.
    for group in ctx.form.political_group_votes:
        if not _f401_applies(group) and (group.candidates_total or 0) != group.total:
            fields = (
                political_group_field(group.number, "candidates_total"),
                political_group_field(group.number),
            )
            yield Finding(fields, group.number)


# --- W.2xx: plausibility of the totals ---------------------------------------------------------------------


@rule("W.201", text_en="The number of blank votes (F) is very high", fields=(BOX_F,))
def w201(ctx: _Context) -> Iterator[Finding]:
    """Het aantal blanco stemmen (F) is erg hoog

    Het aantal blanco stemmen is groter dan of gelijk aan 3% van het totaal aantal uitgebrachte stemmen
    """
    form = ctx.form
    if form.blank_votes_count > 0 and 100 * form.blank_votes_count >= 3 * form.total_votes_cast_count:
        yield Finding((BOX_F,))


@rule("W.202", text_en="The number of invalid votes (G) is very high", fields=(BOX_G,))
def w202(ctx: _Context) -> Iterator[Finding]:
    """Het aantal ongeldige stemmen (G) is erg hoog

    Het aantal ongeldige stemmen is groter dan of gelijk aan 3% van het totaal aantal uitgebrachte
    stemmen
    """
    form = ctx.form
    if form.invalid_votes_count > 0 and 100 * form.invalid_votes_count >= 3 * form.total_votes_cast_count:
        yield Finding((BOX_G,))


@rule("W.203", text_en="Large difference between D and H", fields=(BOX_D, BOX_H))
def w203(ctx: _Context) -> Iterator[Finding]:
    """Groot verschil tussen D en H

    Het verschil tussen het totaal aantal toegelaten kiezers en het totaal aantal uitgebrachte stemmen
    is groter dan of gelijk aan 2% en groter dan of gelijk aan 15
    """
    # Abacus implements (and its use-case document spells out) "2% of H or more" OR "15 or more".
    form = ctx.form
    difference = abs(form.total_admitted_voters_count - form.total_votes_cast_count)
    if difference > 0 and (100 * difference >= 2 * form.total_votes_cast_count or difference >= 15):
        yield Finding((BOX_D, BOX_H))


@rule("W.204", text_en="The total number of votes cast (H) is zero", fields=(BOX_H,))
def w204(ctx: _Context) -> Iterator[Finding]:
    """Het totaal aantal uitgebrachte stemmen (H) is nul

    Het totaal aantal uitgebrachte stemmen is leeg of 0
    """
    if ctx.form.total_votes_cast_count == 0:
        yield Finding((BOX_H,))


# --- entry point -------------------------------------------------------------------------------------------


def _counting_method(value: str) -> CountingMethod:
    try:
        return CountingMethod(str(value).strip().upper())
    except ValueError:
        raise InvalidInput(
            f"counting method must be CSO or DSO, not {value!r}",
            field="counting_method",
            key="error.counting_method",
            value=str(value),
        ) from None


def _check_structure(form: CountForm, method: CountingMethod, lists: Mapping[int, int] | None) -> None:
    """Shape problems are not rule findings but input that does not fit (Abacus: DataError)."""
    for group in form.political_group_votes:
        if method is CountingMethod.CSO and (group.candidate_votes or group.candidates_total is not None):
            raise InvalidInput(
                f"list {group.number}: no candidate votes under central counting (CSO)",
                field=political_group_field(group.number, "candidate_votes"),
                key="error.candidate_votes_under_cso",
                list=group.number,
            )
    if lists is None:
        return
    numbers = [g.number for g in form.political_group_votes]
    if sorted(numbers) != sorted(lists):
        raise InvalidInput(
            f"the lists on the form {sorted(numbers)} are not the election's {sorted(lists)}",
            field="political_group_votes",
            key="error.political_groups",
        )
    if method is CountingMethod.DSO:
        for group in form.political_group_votes:
            got = [c.number for c in group.candidate_votes]
            if got != list(range(1, lists[group.number] + 1)):
                raise InvalidInput(
                    f"list {group.number}: expected candidates 1..{lists[group.number]}",
                    field=political_group_field(group.number, "candidate_votes"),
                    key="error.candidate_number",
                    list=group.number,
                )


def validate_count(
    form: CountForm,
    *,
    counting_method: str,
    election_kind: str,
    lists: Mapping[int, int] | None = None,
) -> ValidationResult:
    """Run every rule on ``form``; errors (F.xxx) block, warnings (W.xxx) need an explanation.

    ``counting_method`` is ``"CSO"`` or ``"DSO"``; the F.4xx rules apply under DSO only.
    ``election_kind`` is one of :data:`app.domain.ids.ELECTION_KINDS` (``"GR"``, ``"TK"``, ...).
    ``lists``, when given, maps each list number of the election to its number of candidates; the form
    must then hold exactly those lists (and under DSO exactly those candidates).

    Raises :class:`InvalidInput` (with ``field``) for input that does not fit the form at all: an unknown
    counting method or election kind, voter cards at a municipal election, candidate votes under CSO,
    lists or candidates that are not the election's.
    """
    method = _counting_method(counting_method)
    if election_kind not in ELECTION_KINDS:
        raise InvalidInput(
            f"unknown election kind {election_kind!r}",
            field="election_kind",
            key="error.election_kind",
            value=str(election_kind),
        )
    check_voter_cards(form, election_kind)
    _check_structure(form, method, lists)
    context = _Context(form, method, election_kind)
    issues = [
        issue
        for rule_ in RULES.values()
        if method is CountingMethod.DSO or not rule_.dso_only
        for issue in rule_.issues(context)
    ]
    return ValidationResult(
        errors=tuple(i for i in issues if i.severity is Severity.ERROR),
        warnings=tuple(i for i in issues if i.severity is Severity.WARNING),
    )

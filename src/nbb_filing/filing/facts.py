"""From a dossier and rubric figures to facts bound to the datapoints of one model.

:func:`build_facts` runs the steps in order over one :class:`~nbb_filing.filing.store.FactStore`
(which refuses two facts for one datapoint, a value that does not fit its type, an enumeration value
not in the package's list):

1. the identification facts, placed by the binding table (:mod:`nbb_filing.filing.identification`,
   :mod:`nbb_filing.filing.binding`);
2. the note blocks of the dossier (contributions or capital, shareholders, auditor's report,
   consolidation, commitments, other information: :mod:`nbb_filing.filing.notes.dossier_blocks`),
   then the social balance sheet (:mod:`nbb_filing.filing.notes.social_balance`);
3. the rubric figures from the mapping and the dossier, then the appropriation account, which must
   agree with the balance sheet where both name a cell (:mod:`nbb_filing.filing.rubrics`);
4. the fixed-asset notes, checked against the balance sheet written in 3
   (:mod:`nbb_filing.filing.notes.fixed_assets`);
5. the appropriation tie-outs, over every figure written.

Each rule fails with a one-line error naming the rubric or field and its source.  Figures equal to
zero are not written (an absent rubric reads as zero at the NBB); the count is reported in
:attr:`FactSet.left_out`.
"""

from __future__ import annotations

from nbb_filing.books.figures import RubricFigures
from nbb_filing.books.note_closings import Closings
from nbb_filing.core.errors import InputError, NbbFilingError
from nbb_filing.filing.binding import DatapointTable, load_table
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.identification import add_identification
from nbb_filing.filing.notes.dossier_blocks import add_note_blocks
from nbb_filing.filing.notes.fixed_assets import add_notes
from nbb_filing.filing.notes.social_balance_tables import add_social_balance_sheet
from nbb_filing.filing.notes.staff_figures import add_staff_figures
from nbb_filing.filing.rubrics import RubricFacts, tie_out
from nbb_filing.filing.store import FactSet, FactStore
from nbb_filing.taxonomy.catalog import Catalog


def build_facts(
    catalog: Catalog,
    dossier: Dossier,
    mapped: RubricFigures | None = None,
    table: DatapointTable | None = None,
    closings: Closings | None = None,
) -> FactSet:
    """All facts of the filing, in catalog order; raises on the first error (one line).

    ``closings`` (:class:`nbb_filing.books.note_closings.Closings`) are the closing values of the
    fixed-asset notes from the trial balances; with the dossier's ``fixed_assets:`` movements they
    give the notes (see :mod:`nbb_filing.filing.notes.fixed_assets`).
    """
    table = table or load_table()
    problems = [p for p in table.problems(catalog) if p.startswith(("role filing", "role entity"))]
    if problems:
        raise NbbFilingError(f"taxonomy package lacks identification datapoints: {problems[0]}")
    if mapped is not None and mapped.model != catalog.model:
        raise InputError(f"figures were computed for model {mapped.model}, the dossier asks for {catalog.model}")
    store = FactStore(catalog)
    add_identification(store, dossier, table)
    add_note_blocks(store, dossier)
    if dossier.social_balance is not None:
        add_social_balance_sheet(store, dossier)
    rubrics = RubricFacts(store, dossier)
    rubrics.rubric_figures(mapped)
    rubrics.appropriation()
    add_staff_figures(store, dossier)  # 9087/9088 from social_balance (issue 19), unless given
    if closings is not None or dossier.fixed_assets is not None:
        add_notes(store, dossier, closings)
    tie_out(store, dossier, table.checks)
    return store.fact_set()

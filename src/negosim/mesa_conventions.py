"""What a Mesa user expects of a model: the ``rng`` keyword and ``model.datacollector``.

``mesa.batch_run(model_cls, parameters, rng=[...])`` builds one model per parameter
combination and seed with ``model_cls(**kwargs, rng=seed)``, steps it, and then reads
``model.datacollector`` (its ``_collection_steps``, ``model_vars`` and agent records) to
build its result rows. ``NegotiationModel`` records every round itself (``model.history``,
turned into tables by :mod:`negosim.outcomes`), so instead of a second, hand-written
``mesa.DataCollector`` it offers :class:`RunCollector`: a read-only view of the same
per-round table and per-run summary in the shape Mesa reads. There is one source of truth
(the round table) and nothing extra to keep in step with it.

Seeds: a Mesa run is one replicate, so ``rng=7`` means ``seeds=[7]``; see
:func:`replicate_seeds`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from negosim.outcomes import round_table, summarize

if TYPE_CHECKING:
    import pandas as pd

    from negosim.model import NegotiationModel

Columns = dict[str, NDArray]
MAX_SEED = 2**64  # replicate seeds are unsigned 64-bit words (negosim.core.rng)
INDEX_COLUMNS = ("replicate", "round")  # the round table's row coordinates, not variables
RUNS_TABLE = "runs"


class Unset(Enum):
    """Marks "not passed": ``rng=None`` is meaningful to Mesa (a fresh, unseeded run)."""

    UNSET = "unset"


UNSET = Unset.UNSET
RngLike = (
    int | np.integer | np.random.Generator | np.random.BitGenerator | np.random.SeedSequence | None
)


def replicate_seeds(default: int, seeds: Iterable[int] | None, rng: RngLike | Unset) -> list[int]:
    """The replicate seeds of a model, from negosim's ``seeds`` or Mesa's ``rng`` keyword.

    Why each rule:

    - neither given: ``[default]`` (the scenario's ``seed``), so ``NegotiationModel(s)`` is
      reproducible as it always was;
    - ``seeds``: one replicate per seed (negosim's batch); ``rng=None`` beside it is ignored,
      because ``batch_run`` passes ``rng=None`` when the user sweeps ``seeds`` themselves;
    - ``rng`` an integer: ``[rng]``, so ``batch_run(..., rng=[1, 2])`` runs seed 1 and 2
      exactly as ``NegotiationModel(s, seeds=[1])`` and ``seeds=[2]`` would;
    - ``rng=None``: a fresh seed from the operating system's entropy, Mesa's meaning of
      ``None`` (``batch_run(iterations=k)`` passes ``rng=[None] * k``: k different runs,
      not k copies); the seed drawn is in ``model.seeds`` and the tables, so the run can
      still be repeated;
    - ``rng`` a ``numpy`` Generator, BitGenerator or SeedSequence: one seed drawn from it;
    - ``seeds`` and a non-None ``rng`` together: an error, since it is unclear which wins.
    """
    if seeds is not None:
        if rng is not UNSET and rng is not None:
            raise TypeError(
                "pass either seeds=[...] (negosim: a batch of replicates) or rng=... "
                "(Mesa: one replicate), not both"
            )
        return [int(s) for s in seeds]
    if rng is UNSET:
        return [int(default)]
    return [_seed_from_rng(rng)]


def _seed_from_rng(rng: object) -> int:
    """One replicate seed from a Mesa-style ``rng`` value (see :func:`replicate_seeds`)."""
    if rng is None:
        # 63 bits: the seed also fits a signed 64-bit column (pandas, SQL, CSV readers).
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    if isinstance(rng, np.random.Generator | np.random.BitGenerator | np.random.SeedSequence):
        return int(np.random.default_rng(rng).integers(2**63))
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool | np.bool_):
        if not 0 <= int(rng) < MAX_SEED:
            raise ValueError(f"rng={rng}: a seed must be an integer in [0, 2**64)")
        return int(rng)
    raise TypeError(
        f"rng={rng!r}: NegotiationModel takes one integer seed as rng (a Mesa run is one "
        "replicate), None, or a numpy Generator/SeedSequence; for a batch pass seeds=[...]"
    )


def _scalar(value: Any) -> Any:
    """A numpy scalar as the plain Python value Mesa's reporters would have returned."""
    return value.item() if isinstance(value, np.generic) else value


class RunCollector:
    """A ``mesa.DataCollector``-compatible, read-only view of a model's recorded tables.

    Layout (what ``batch_run`` and ``get_model_vars_dataframe`` read):

    - a *step* is a round (1, 2, ...; Mesa's ``model.steps`` after that round): there is
      no step 0, the model records nothing before its first month;
    - ``model_vars[name]`` has one entry per step: every column of
      :func:`negosim.outcomes.round_table` but its coordinates (``replicate``, ``round``),
      then every column of :func:`negosim.outcomes.summarize` not already among them
      (``deal_reached``, ``first_deal_round``, ``final_tariff``, the benchmarks, ...).
      Those *run* columns describe the run as it stands now, so they are filled at the
      latest step only and are ``None`` before it: with ``data_collection_period=-1``
      ``batch_run``'s row for a run holds the last round and the run's outcome;
    - with one replicate (a Mesa run) each entry is a Python scalar; with a batch of seeds
      it is a numpy array with one value per replicate;
    - where a summary column shares a name with a round column (``japan_utility``,
      ``reversals_trade``, ...) the round column is kept; the full summary is the table
      ``"runs"``: ``get_table_dataframe("runs")``;
    - there are no agent reporters (the agents hold no per-agent variables; the model's
      state is arrays over replicates), so ``batch_run`` makes one row per run and step.

    The view is rebuilt only when the model has stepped since the last read. ``collect`` is
    a no-op, so a subclass written for a real DataCollector still works.
    """

    def __init__(self, model: NegotiationModel) -> None:
        self._model = model
        self._rounds: tuple[int, Columns] | None = None
        self._runs: tuple[int, Columns] | None = None
        self.agent_reporters: dict[str, Any] = {}
        self.agenttype_reporters: dict[type, dict[str, Any]] = {}
        self._agent_records: dict[int, list[tuple[Any, ...]]] = {}
        self._agenttype_records: dict[int, dict[type, list[tuple[Any, ...]]]] = {}

    # -- the recorded tables, cached per step ------------------------------------------------
    def round_columns(self) -> Columns:
        """The model's per-round table (``outcomes.round_table``) as of its current step."""
        if self._rounds is None or self._rounds[0] != self._model.steps:
            self._rounds = (self._model.steps, round_table(self._model))
        return self._rounds[1]

    def run_columns(self) -> Columns:
        """The per-run summary (``outcomes.summarize``) as of the model's current step."""
        if self._runs is None or self._runs[0] != self._model.steps:
            self._runs = (self._model.steps, summarize(self._model))
        return self._runs[1]

    def _run_only(self) -> list[str]:
        rounds = self.round_columns()
        return [name for name in self.run_columns() if name not in rounds]

    # -- what mesa.batch_run reads -------------------------------------------------------------
    @property
    def _collection_steps(self) -> list[int]:
        """The steps with a record: one per round run so far."""
        return list(range(1, len(self._model.history) + 1))

    @property
    def model_reporters(self) -> dict[str, str]:
        """Every variable and where it comes from (informational: nothing is called)."""
        rounds = [n for n in self.round_columns() if n not in INDEX_COLUMNS]
        return {n: "round_table" for n in rounds} | {n: "summarize" for n in self._run_only()}

    @property
    def model_vars(self) -> dict[str, list[Any]]:
        """One entry per step for every variable (see the class docstring for the layout)."""
        steps = len(self._model.history)
        n = self._model.state.size
        if steps == 0:
            return {}
        one = n == 1
        out: dict[str, list[Any]] = {}
        for name, column in self.round_columns().items():
            if name not in INDEX_COLUMNS:
                by_step = np.asarray(column).reshape(n, steps).T
                out[name] = [_scalar(v[0]) if one else v for v in by_step]
        runs = self.run_columns()
        for name in self._run_only():
            latest = _scalar(runs[name][0]) if one else runs[name]
            out[name] = [None] * (steps - 1) + [latest]
        return out

    @property
    def tables(self) -> dict[str, Columns]:
        """Mesa's named tables: ``"runs"``, the per-run summary."""
        return {RUNS_TABLE: self.run_columns()}

    def collect(self, model: object) -> None:
        """Nothing to do: the model records every round itself."""

    # -- the DataFrame accessors -------------------------------------------------------------
    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """The per-round table as a DataFrame, one row per step (round) and replicate.

        Index: ``Step`` (the round) for one replicate, as Mesa's; a ``(replicate, Step)``
        MultiIndex for a batch of seeds. Columns: as ``model_vars``, with the round columns'
        dtypes kept; run columns are missing (NaN/None) except at each replicate's latest
        step.
        """
        import pandas as pd

        rounds = self.round_columns()
        frame = pd.DataFrame({k: v for k, v in rounds.items() if k not in INDEX_COLUMNS})
        steps = len(self._model.history)
        if steps:
            latest = np.flatnonzero(rounds["round"] == steps)
            runs = self.run_columns()
            for name in self._run_only():
                frame[name] = pd.Series(runs[name], index=latest).reindex(frame.index)
        if self._model.state.size == 1:
            frame.index = pd.Index(rounds["round"], name="Step")
        else:
            frame.index = pd.MultiIndex.from_arrays(
                [rounds["replicate"], rounds["round"]], names=["replicate", "Step"]
            )
        return frame

    def get_agent_vars_dataframe(self) -> pd.DataFrame:
        """Raise as Mesa does without agent reporters: the agents hold no variables."""
        raise UserWarning(
            "NegotiationModel has no agent reporters: every variable is a column of "
            "get_model_vars_dataframe() (one value per replicate and round)"
        )

    def get_table_dataframe(self, table_name: str) -> pd.DataFrame:
        """``"runs"``: the per-run summary, one row per replicate."""
        import pandas as pd

        if table_name != RUNS_TABLE:
            raise KeyError(f"no table {table_name!r}; the only table is {RUNS_TABLE!r}")
        return pd.DataFrame(self.run_columns())

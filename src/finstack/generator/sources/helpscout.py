"""Help Scout raw tables, as Stitch lands them (Postgres-style flattened shape).

About 15% of app users write to support over their lifetime, more around KYC
and their first deposit. Each conversation has a theme (kyc, withdrawal,
interest, login, deposit, isa, complaint) that drives its mailbox, its texts
(composed from ``_helpscout_text``), its tags (80% tagged, 5% with a wrong tag)
and, with response times, the customer's tone and the happiness rating. Agent
replies follow London office hours (Mon-Fri 9-17), with an on-call agent
answering a quarter of out-of-hours messages.

Stitch replicates conversations incrementally: a conversation is extracted in
the sync after its last change; 20% of them are also extracted at earlier
states (re-emitted versions). ``LOADING`` is the loader switch of
raw-sources.md §9: ``"append"`` (Stitch without a usable primary key, and its
BigQuery v1 destination) lands one row per extracted version (several rows per
``id``, the latest ``_sdc_sequence`` wins); ``"upsert"`` keeps one row per key.
Child arrays (tags, custom fields, cc/bcc, attachments) carry the parent
version's ``_sdc_sequence``; tags are set when the conversation is finished, so
tag rows of a superseded version are the orphans of §9.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.dtypes import StringDType

from finstack.generator.config import (
    COMPANY_DOMAIN,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Defect,
    defect_count,
    register_defects,
)
from finstack.generator.sources import _helpscout_text as tx
from finstack.generator.tables import RawTable, cols, register
from finstack.generator.world import NEVER, World, sample_times

SCHEMA = "helpscout"
# Loader switch (raw-sources.md §9 "Re-emitted versions"): "append" or "upsert".
LOADING = "append"

register_defects(
    Defect(
        "helpscout_reemitted_versions",
        "helpscout",
        "conversation extracted in several Stitch batches (append-only: several rows per id, latest _sdc_sequence wins)",
        0.20,
        "conversations",
    ),
    Defect(
        "helpscout_type_split",
        "helpscout",
        "customers.age arrives as number and as string: split into age (int) and age__st (str)",
        1.0,
        "fields (customers.age)",
    ),
    Defect(
        "helpscout_reopen",
        "helpscout",
        "closed conversation reopened (closed -> active lineitem)",
        0.08,
        "conversations",
    ),
    Defect(
        "helpscout_handoff",
        "helpscout",
        "conversation reassigned to another agent (assigned_to changes)",
        0.15,
        "conversations",
    ),
    Defect(
        "helpscout_spam",
        "helpscout",
        "spam conversations from senders who are not app users",
        0.02,
        "conversations",
    ),
    Defect(
        "helpscout_deleted",
        "helpscout",
        "conversations deleted by an agent (state = deleted)",
        0.01,
        "conversations",
    ),
    Defect(
        "helpscout_staff_threads",
        "helpscout",
        "threads by staff (created_by__type = user), internal notes, lineitems and forwards beside customer threads",
        1.0,
        "conversations (always)",
    ),
    Defect(
        "helpscout_multiple_emails",
        "helpscout",
        "customers__emails has several rows and the app email is not the first",
        0.10,
        "customers",
    ),
    Defect(
        "helpscout_secondary_email_match",
        "helpscout",
        "customer matches the app only through a secondary email (the conversation's email is another address)",
        0.03,
        "customers",
    ),
    Defect(
        "helpscout_orphan_tags",
        "helpscout",
        "conversations__tags rows of a superseded parent version",
        0.01,
        "conversations__tags rows",
    ),
    Defect(
        "helpscout_untagged",
        "helpscout",
        "conversations without tags (what the ML tagger predicts)",
        0.20,
        "conversations",
    ),
    Defect(
        "helpscout_wrong_tag",
        "helpscout",
        "tagged conversations whose theme tag is wrong",
        0.05,
        "tagged conversations",
    ),
)

# --------------------------------------------------------------------------- catalogues

MAILBOXES = [  # mailbox_idx, id, name, slug, email
    (0, 301450, "Support", "support", f"support@{COMPANY_DOMAIN}"),
    (1, 301451, "Payments", "payments", f"payments@{COMPANY_DOMAIN}"),
    (2, 301452, "Complaints", "complaints", f"complaints@{COMPANY_DOMAIN}"),
]
TEAMS = [  # team_idx, id, name, slug (mailbox k is served by team k)
    (0, 612901, "Customer Support", "customer-support"),
    (1, 612902, "Payments Ops", "payments-ops"),
    (2, 612903, "Complaints & Escalations", "complaints-escalations"),
]
AGENTS = [  # first, last, role, time zone, teams
    ("Hannah", "Clarke", "owner", "Europe/London", (0, 2)),
    ("James", "Porter", "admin", "Europe/London", (0,)),
    ("Sophie", "Turner", "user", "Europe/London", (0,)),
    ("Daniel", "Okafor", "user", "Europe/London", (0,)),
    ("Maria", "Santos", "user", "Europe/Lisbon", (0,)),
    ("Joseph", "Reyes", "user", "Asia/Manila", (0,)),  # out-of-hours on-call
    ("Emily", "Hughes", "admin", "Europe/London", (1,)),
    ("Tom", "Fletcher", "user", "Europe/London", (1,)),
    ("Agnieszka", "Kowalska", "user", "Europe/Warsaw", (1,)),
    ("Rebecca", "Shaw", "user", "Europe/London", (2,)),
    ("Marcus", "Bell", "user", "Europe/London", (2,)),
]
ONCALL_AGENT = 5
TAGS = {  # tag -> (id, color)
    "kyc": (8012301, "#3b7dd8"),
    "withdrawal": (8012302, "#e07b39"),
    "interest": (8012303, "#57a55a"),
    "login": (8012304, "#8e44ad"),
    "deposit": (8012305, "#f1c40f"),
    "isa": (8012306, "#16a085"),
    "complaint": (8012307, "#c0392b"),
    "bug": (8012308, "#7f8c8d"),
    "vip": (8012309, "#d4ac0d"),
}
THEMES = tx.THEMES
T = {name: i for i, name in enumerate(THEMES)}
SUB_THEME = np.array([T[s[0]] for s in tx.SUBTOPICS])
SUB_NAMES = [s[1] for s in tx.SUBTOPICS]
SUB = {name: i for i, name in enumerate(SUB_NAMES)}
EMAIL, CHAT, PHONE = 0, 1, 2
CHANNEL_NAMES = np.array(["email", "chat", "phone"])
NEG, NEU, POS = 0, 1, 2
TONE_KEY = np.array(["neg", "neu", "pos"])
# initial tone of the customer by theme: P(neg), P(neu), P(pos)
TONE_BY_THEME = np.array(
    [
        [0.30, 0.55, 0.15],
        [0.40, 0.50, 0.10],
        [0.25, 0.60, 0.15],
        [0.30, 0.58, 0.12],
        [0.30, 0.58, 0.12],
        [0.12, 0.68, 0.20],
        [0.80, 0.20, 0.00],
    ]
)
CATALOGUE_CREATED = dt.datetime(2021, 3, 1, 9, 30, tzinfo=dt.UTC)
CATALOGUE_UPDATED = dt.datetime(2024, 11, 5, 14, 12, tzinfo=dt.UTC)
SYNC_EVERY = US_PER_HOUR  # Stitch replication frequency of the Help Scout integration

SDC_COLS = cols(
    "_sdc_batched_at:ts, _sdc_received_at:ts, _sdc_extracted_at:ts, "
    "_sdc_sequence:int, _sdc_table_version:int"
)
SUB_KEY_COLS = cols("_sdc_source_key_id:int, _sdc_level_0_id:int")


def _us(t: dt.datetime) -> int:
    return int(t.timestamp()) * US_PER_SECOND


# --------------------------------------------------------------------------- helpers


def _str(a) -> np.ndarray:
    return np.asarray(a, dtype=StringDType())


def _pick_flat(rng: np.random.Generator, groups: list[list[str]], key: np.ndarray) -> np.ndarray:
    """One random string per row from ``groups[key]`` (vectorised over rows)."""
    flat = _str([s for g in groups for s in g])
    counts = np.array([len(g) for g in groups])
    offsets = np.cumsum(counts) - counts
    j = offsets[key] + (rng.random(len(key)) * counts[key]).astype(np.int64)
    return flat[j]


def _pick(rng: np.random.Generator, options: list[str], n: int) -> np.ndarray:
    return _str(options)[rng.integers(0, len(options), size=n)]


def _london_offset(t_us: np.ndarray) -> np.ndarray:
    """Europe/London UTC offset (µs) at each instant (BST in summer)."""
    idx = pd.to_datetime(np.asarray(t_us, dtype=np.int64), unit="us", utc=True)
    local = idx.tz_convert("Europe/London").tz_localize(None).as_unit("us").asi8
    return local - np.asarray(t_us, dtype=np.int64)


def _office_open(t_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest instant >= t within London office hours (Mon-Fri 9-17), and
    whether t itself is inside office hours."""
    off = _london_offset(t_us)
    loc = t_us + off
    day = loc // US_PER_DAY
    tod = loc - day * US_PER_DAY
    wd = (day + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    opens, closes = 9 * US_PER_HOUR, 17 * US_PER_HOUR
    in_hours = (wd < 5) & (tod >= opens) & (tod < closes)
    before_open = (wd < 5) & (tod < opens)
    ahead = np.select([wd == 4, wd == 5], [3, 2], 1)
    ahead = np.where(wd == 6, 1, ahead)
    nxt = np.where(before_open, day * US_PER_DAY + opens, (day + ahead) * US_PER_DAY + opens)
    return np.where(in_hours, loc, nxt) - off, in_hours


def _reply_at(
    rng: np.random.Generator, t: np.ndarray, channel: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """When an agent answers a message sent at t: minutes within office hours
    (seconds on chat), the next opening plus a backlog otherwise, unless the
    on-call agent picks it up (25% of out-of-hours messages)."""
    n = len(t)
    start, in_hours = _office_open(t)
    median_min = np.where(channel == CHAT, 2.0, 45.0)
    delay = (np.exp(np.log(median_min) + rng.normal(0, 0.9, n)) * US_PER_MINUTE).astype(np.int64)
    backlog = np.where(in_hours, 0, rng.exponential(1.5, n) * US_PER_HOUR).astype(np.int64)
    oncall = ~in_hours & (rng.random(n) < 0.25)
    oncall_delay = (np.exp(np.log(90.0) + rng.normal(0, 0.7, n)) * US_PER_MINUTE).astype(np.int64)
    reply = np.where(oncall, t + oncall_delay, start + backlog + delay)
    return np.maximum(reply, t + 20 * US_PER_SECOND), oncall


def _customer_delay(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    """How long a customer takes to answer: minutes on chat, hours by email."""
    n = len(channel)
    email = np.exp(np.log(4.0) + rng.normal(0, 1.1, n)) * US_PER_HOUR
    chat = rng.uniform(0.5, 4.0, n) * US_PER_MINUTE
    return np.where(channel == CHAT, chat, email).astype(np.int64)


def _money(rng: np.random.Generator, n: int) -> np.ndarray:
    """Amounts such as £250, £1,200 or £3,480.50 (vectorised formatting)."""
    pounds = np.round(np.exp(rng.normal(np.log(1500), 1.0, n)) / 10).astype(np.int64) * 10
    pounds = np.maximum(pounds, 20)
    thousands = pounds // 1000
    rest = _str((pounds % 1000).astype(str))
    with_sep = np.strings.add(
        np.strings.add(_str(thousands.astype(str)), ","), np.strings.zfill(rest, 3)
    )
    s = np.where(thousands > 0, with_sep, rest)
    pence = rng.random(n) < 0.2
    s = np.where(pence, np.strings.add(s, _str(np.char.mod(".%02d", rng.integers(1, 99, n)))), s)
    return np.strings.add("£", s)


MONTHS = _str(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


def _slot_values(rng: np.random.Generator, when_us: np.ndarray) -> dict[str, np.ndarray]:
    """Slot values of each conversation (one amount, document, bank... per conversation)."""
    n = len(when_us)
    day_before = pd.to_datetime(when_us - rng.integers(1, 6, n) * US_PER_DAY, unit="us")
    date = np.strings.add(
        np.strings.add(_str(day_before.day.to_numpy().astype(str)), " "),
        MONTHS[day_before.month.to_numpy() - 1],
    )
    created = pd.to_datetime(when_us, unit="us")
    ty = created.year.to_numpy() - (created.month.to_numpy() < 4)  # the tax year that has ended
    tax_year = np.strings.add(
        np.strings.add(_str((ty - 1).astype(str)), "/"), _str(np.char.mod("%02d", ty % 100))
    )
    rate = rng.integers(35, 75, n)
    return {
        "amount": _money(rng, n),
        "days": _str(rng.integers(2, 12, n).astype(str)),
        "date": date,
        "product": _pick(rng, tx.PRODUCTS, n),
        "ref": np.strings.add("FS-", _str(rng.integers(100_000, 999_999, n).astype(str))),
        "last4": _str(np.char.mod("%04d", rng.integers(0, 10_000, n))),
        "rate": np.strings.add(_str(np.char.mod("%.1f", rate / 10)), "%"),
        "old_rate": np.strings.add(
            _str(np.char.mod("%.1f", (rate + rng.integers(3, 12, n)) / 10)), "%"
        ),
        "doc": _pick(rng, tx.DOCS, n),
        "bank": _pick(rng, tx.BANKS, n),
        "tax_year": tax_year,
    }


def _fill_slots(
    text: np.ndarray, slots: dict[str, np.ndarray], html_pound: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Replace the ``{slot}`` placeholders with per-row values, in DuckDB (fast
    on hundreds of thousands of rows). With ``html_pound``, also escape the
    text as Help Scout's editor writes it (&amp;, &#39;, &gt;, and &pound; on
    the rows flagged). Returns the texts and their plain-text previews."""
    data = {"t": pa.array(np.asarray(text).astype(object), pa.string())}
    expr = "t"
    for key, values in slots.items():
        data[key] = pa.array(np.asarray(values).astype(object), pa.string())
        expr = f"replace({expr}, '{{{key}}}', \"{key}\")"
    plain = (
        "left(regexp_replace(trim(regexp_replace(f, '<[^>]+>', ' ', 'g')), '\\s+', ' ', 'g'), 100)"
    )
    html, pound = "f", "NULL AS pound"
    if html_pound is not None:
        data["pound"] = pa.array(html_pound)
        pound = "pound"
        # "Settings > Verification" is text: tags never contain " > "
        html = "replace(replace(replace(f, '&', '&amp;'), '''', '&#39;'), ' > ', ' &gt; ')"
        html = f"CASE WHEN pound THEN replace({html}, '£', '&pound;') ELSE {html} END"
    con = duckdb.connect()
    try:
        con.register("rows_", pa.table(data))
        out = con.sql(
            f"WITH x AS MATERIALIZED (SELECT {expr} AS f, {pound} FROM rows_) "
            f"SELECT {html} AS t, {plain} AS p FROM x"
        ).to_arrow_table()
    finally:
        con.close()
    return (
        out.column("t").to_numpy(zero_copy_only=False).astype(object),
        out.column("p").to_numpy(zero_copy_only=False).astype(object),
    )


def _cat(*parts) -> np.ndarray:
    out = _str(parts[0]) if not isinstance(parts[0], str) else parts[0]
    for p in parts[1:]:
        out = np.strings.add(out, p)
    return out


# --------------------------------------------------------------------------- simulation


def _catalogues(world: World) -> None:
    created, updated = _us(CATALOGUE_CREATED), _us(CATALOGUE_UPDATED)
    agents = pd.DataFrame(
        [
            (
                i,
                612300 + 17 * i,
                f,
                last,
                f"{f.lower()}.{last.lower()}@{COMPANY_DOMAIN}",
                role,
                tz,
                teams[0],
                created + i * 37 * US_PER_DAY,
                updated + i * 3 * US_PER_DAY,
            )
            for i, (f, last, role, tz, teams) in enumerate(AGENTS)
        ],
        columns=[
            "agent_idx",
            "user_id",
            "first_name",
            "last_name",
            "email",
            "role",
            "timezone",
            "team_idx",
            "created_us",
            "updated_us",
        ],
    )
    teams = pd.DataFrame(
        [(i, tid, name, slug, created + 2 * US_PER_DAY, updated) for i, tid, name, slug in TEAMS],
        columns=["team_idx", "team_id", "name", "slug", "created_us", "updated_us"],
    )
    members = pd.DataFrame(
        [(TEAMS[t][1], 612300 + 17 * i) for i, a in enumerate(AGENTS) for t in a[4]],
        columns=["team_id", "user_id"],
    )
    mailboxes = pd.DataFrame(
        [(i, mid, name, slug, email, created, updated) for i, mid, name, slug, email in MAILBOXES],
        columns=["mailbox_idx", "mailbox_id", "name", "slug", "email", "created_us", "updated_us"],
    )
    world.add("helpscout_agents", agents)
    world.add("helpscout_teams", teams)
    world.add("helpscout_team_members", members)
    world.add("helpscout_mailboxes", mailboxes)


def _pick_theme(
    rng: np.random.Generator, u: pd.DataFrame, who: np.ndarray, start_us: int, horizon_us: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Theme, subtopic and creation instant of each conversation of user rows ``who``."""
    n = len(who)
    col = {
        c: u[c].to_numpy()[who]
        for c in (
            "signup_us",
            "kyc_submitted_us",
            "kyc_approved_us",
            "kyc_rejected_us",
            "first_deposit_us",
            "first_investment_us",
            "lifetime_days",
        )
    }
    signup, sub, app, rej = (
        col["signup_us"],
        col["kyc_submitted_us"],
        col["kyc_approved_us"],
        col["kyc_rejected_us"],
    )
    dep, inv = col["first_deposit_us"], col["first_investment_us"]
    life_end = np.minimum(
        signup + (np.maximum(col["lifetime_days"], 5) * 1.5 * US_PER_DAY).astype(np.int64),
        horizon_us,
    )
    pending = (sub >= 0) & (app < 0) & (rej < 0)
    w = np.zeros((n, len(THEMES)))
    w[:, T["kyc"]] = np.select([rej >= 0, pending, sub < 0], [3.0, 2.5, 1.0], 0.6)
    w[:, T["withdrawal"]] = np.where(dep >= 0, 1.2, 0.0)
    w[:, T["interest"]] = np.where(inv >= 0, 1.0, 0.0)
    w[:, T["login"]] = 0.8
    w[:, T["deposit"]] = np.select([dep >= 0, app >= 0], [1.4, 1.0], 0.0)
    w[:, T["isa"]] = np.where(dep >= 0, 0.45, 0.1)
    w[:, T["complaint"]] = np.where(dep >= 0, 0.45, 0.15)
    cum = np.cumsum(w, axis=1)
    theme = (cum < (rng.random(n) * cum[:, -1])[:, None]).sum(axis=1)

    def after(t0: np.ndarray, power: float = 1.0) -> np.ndarray:
        base = np.where(t0 >= 0, t0, signup)
        span = np.maximum(life_end - base, US_PER_HOUR)
        return base + (rng.random(n) ** power * span).astype(np.int64)

    def expo(days: float) -> np.ndarray:
        return (rng.exponential(days, n) * US_PER_DAY).astype(np.int64)

    anchors = np.stack(
        [
            np.select(
                [rej >= 0, pending, sub < 0],
                [rej + expo(0.5), sub + US_PER_DAY + expo(2.0), signup + expo(1.5)],
                sub + expo(0.3),
            ),
            after(dep),
            after(inv),
            after(signup, 1.5),
            np.where(
                dep >= 0,
                dep + (rng.normal(0, 0.5, n) * US_PER_DAY).astype(np.int64),
                app + expo(2.0),
            ),
            after(dep),
            after(dep),
        ],
        axis=1,
    )
    created = anchors[np.arange(n), theme] + rng.integers(0, 20 * US_PER_MINUTE, n)
    created = np.maximum(created, signup + 5 * US_PER_MINUTE)

    # subtopic: uniform within the theme, except KYC follows the user's KYC state
    first_sub = np.array([np.flatnonzero(np.equal(SUB_THEME, t))[0] for t in range(len(THEMES))])
    subtopic = first_sub[theme] + rng.integers(0, 3, n)
    kyc = theme == T["kyc"]
    follows = rng.random(n) < 0.75
    subtopic = np.where(kyc & follows & (rej >= 0), SUB["doc_rejected"], subtopic)
    subtopic = np.where(kyc & follows & pending, SUB["verification_pending"], subtopic)
    comp = theme == T["complaint"]
    subtopic = np.where(
        comp, first_sub[T["complaint"]] + rng.choice(3, n, p=[0.5, 0.4, 0.1]), subtopic
    )
    keep = (created >= start_us) & (created < horizon_us - US_PER_HOUR)
    return theme, subtopic, np.where(keep, created, NEVER)


def simulate(world: World) -> None:
    """Add the Help Scout world tables (all prefixed ``helpscout_``)."""
    rng = world.rng("helpscout")
    win = world.window
    _catalogues(world)
    agents = world["helpscout_agents"]
    users = world["users"]
    m = len(users)

    # ---- who writes in: ~15% of users, more when KYC was rejected or is pending
    sub, app, rej = (
        users[c].to_numpy() for c in ("kyc_submitted_us", "kyc_approved_us", "kyc_rejected_us")
    )
    dep = users.first_deposit_us.to_numpy()
    w = np.select([rej >= 0, (sub >= 0) & (app < 0), dep >= 0, sub < 0], [3.0, 2.0, 1.3, 0.5], 1.0)
    p = np.clip(0.15 * w / w.mean(), 0, 0.9)
    writer = rng.random(m) < p
    erasures = world.frames.get("app_erasures")
    erased_rows = np.array([], dtype=np.int64)
    if erasures is not None and len(erasures):
        # erased users asked support first: their customer stays in Help Scout
        row_of = pd.Series(np.arange(m), index=users.app_user_id.to_numpy())
        erased_rows = (
            row_of.reindex(erasures.app_user_id.to_numpy()).dropna().to_numpy().astype(np.int64)
        )
    n_conv = np.where(writer, 1 + np.minimum(rng.poisson(0.5 * users.engagement.to_numpy()), 5), 0)
    who = np.repeat(np.arange(m), n_conv)
    theme, subtopic, created = _pick_theme(rng, users, who, win.start_us, win.horizon_us)
    if len(erased_rows):
        req = (
            erasures.set_index("app_user_id")
            .requested_us.reindex(users.app_user_id.to_numpy()[erased_rows])
            .to_numpy()
        )
        t_req = np.maximum(
            req - (rng.exponential(3.0, len(erased_rows)) * US_PER_DAY).astype(np.int64),
            users.signup_us.to_numpy()[erased_rows] + US_PER_HOUR,
        )
        ok = (req >= 0) & (t_req >= win.start_us) & (t_req < win.horizon_us - US_PER_HOUR)
        who = np.concatenate([who, erased_rows[ok]])
        theme = np.concatenate([theme, np.full(ok.sum(), T["complaint"])])
        subtopic = np.concatenate([subtopic, np.full(ok.sum(), SUB["account_closure"])])
        created = np.concatenate([created, t_req[ok]])
    keep = created >= 0
    who, theme, subtopic, created = who[keep], theme[keep], subtopic[keep], created[keep]
    n_legit = len(who)

    # ---- spam senders (not app users) and their conversations
    n_spam = defect_count("helpscout_spam", n_legit)
    spam_t = sample_times(rng, n_spam, win.start_us, win.horizon_us - US_PER_HOUR)

    # ---- customers: one per user who wrote in, then the spam senders
    cust_user_rows = np.unique(who)
    n_cu = len(cust_user_rows)
    cust_of_row = np.full(m, -1, dtype=np.int64)
    cust_of_row[cust_user_rows] = np.arange(n_cu)
    conv_cust = np.concatenate([cust_of_row[who], n_cu + np.arange(n_spam)])
    n = n_legit + n_spam
    is_spam = np.arange(n) >= n_legit
    theme = np.concatenate([theme, np.zeros(n_spam, dtype=np.int64)])
    subtopic = np.concatenate([subtopic, np.zeros(n_spam, dtype=np.int64)])
    created = np.concatenate([created, spam_t])
    order = np.lexsort((conv_cust, created))  # conversation ids and numbers follow creation order
    conv_cust, theme, subtopic, created, is_spam = (
        a[order] for a in (conv_cust, theme, subtopic, created, is_spam)
    )
    cust = _customers(world, rng, users, cust_user_rows, n_spam, conv_cust, created)

    channel = rng.choice(3, size=n, p=[0.70, 0.25, 0.05])
    channel = np.where(is_spam | (subtopic == SUB["account_closure"]), EMAIL, channel)
    money = np.isin(theme, [T["withdrawal"], T["deposit"], T["interest"]])
    mailbox = np.select([theme == T["complaint"], money], [2, 1], 0)
    mailbox = np.where((theme == T["complaint"]) & (rng.random(n) < 0.1), 0, mailbox)
    mailbox = np.where(money & (rng.random(n) < 0.3), 0, mailbox)
    mailbox = np.where((channel == CHAT) | is_spam, 0, mailbox)
    probs = TONE_BY_THEME[theme].copy()
    probs[subtopic == SUB["doc_rejected"]] += [0.10, -0.10, 0.0]
    tone0 = (probs.cumsum(axis=1) < rng.random(n)[:, None]).sum(axis=1).clip(0, 2)

    # ---- defects drawn among the legitimate conversations
    legit = np.flatnonzero(~is_spam)
    deleted = np.zeros(n, dtype=bool)
    email_legit = legit[(channel[legit] == EMAIL) & (subtopic[legit] != SUB["account_closure"])]
    deleted[
        rng.choice(email_legit, defect_count("helpscout_deleted", len(legit)), replace=False)
    ] = True
    live = np.flatnonzero(~is_spam & ~deleted)
    reopen = np.zeros(n, dtype=bool)
    reopen[rng.choice(live, defect_count("helpscout_reopen", len(legit)), replace=False)] = True
    handoff = np.zeros(n, dtype=bool)
    handoff[rng.choice(live, defect_count("helpscout_handoff", len(legit)), replace=False)] = True

    conv = pd.DataFrame(
        {
            "conv_idx": np.arange(n, dtype=np.int64),
            "conversation_id": 2_310_000_000 + np.cumsum(rng.integers(1, 40, n)),
            "number": 10_000 + np.arange(n, dtype=np.int64),
            "customer_idx": conv_cust,
            "theme": theme,
            "subtopic": subtopic,
            "channel": channel,
            "mailbox_idx": mailbox,
            "tone0": tone0,
            "created_us": created,
            "is_spam": is_spam,
            "is_deleted": deleted,
            "reopen": reopen,
            "handoff": handoff,
        }
    )
    threads, conv = _threads(world, rng, conv, cust, agents)
    versions = _versions(world, rng, conv, threads)
    _children(world, rng, conv, threads, versions, cust, users)
    _ratings(world, rng, conv, threads)
    conv["type"] = CHANNEL_NAMES[conv.channel.to_numpy()]
    conv["theme_name"] = np.array(THEMES)[conv.theme.to_numpy()]
    conv["subtopic_name"] = np.array(SUB_NAMES)[conv.subtopic.to_numpy()]
    conv["tone0_name"] = TONE_KEY[conv.tone0.to_numpy()]
    world.add("helpscout_conversations", conv)
    world.add("helpscout_threads", threads)
    world.add("helpscout_conversation_versions", versions)


def _customers(
    world: World,
    rng: np.random.Generator,
    users: pd.DataFrame,
    rows: np.ndarray,
    n_spam: int,
    conv_cust: np.ndarray,
    created: np.ndarray,
) -> pd.DataFrame:
    """Help Scout customers, their emails (1-3, the app email not always first),
    phones and versions (profile edits); the age field arrives as a number
    before a mid-window date and as a string after it (Stitch splits it)."""
    win = world.window
    n_cu = len(rows)
    n = n_cu + n_spam
    u = users.iloc[rows]
    first = np.concatenate(
        [
            u.first_name.to_numpy(dtype=object),
            _pick(rng, ["SEO", "Mark", "Accounts", "Prize", "Anna"], n_spam).astype(object),
        ]
    )
    last = np.concatenate(
        [
            u.last_name.to_numpy(dtype=object),
            np.where(
                rng.random(n_spam) < 0.5,
                None,
                _pick(rng, ["Team", "Partners", "Dept", "Media"], n_spam).astype(object),
            ),
        ]
    )
    first_conv = pd.Series(created).groupby(conv_cust).min().reindex(np.arange(n)).to_numpy()
    n_convs = np.bincount(conv_cust, minlength=n)

    # app email as Help Scout has it: case or whitespace variants per email_variant
    canon = _str(u.email.to_numpy().astype(str))
    variant = u.email_variant.to_numpy()
    app_email = np.select(
        [variant == 1, variant == 2], [np.strings.upper(canon), _cat(" ", canon, " ")], canon
    )
    fl = _cat(
        np.strings.lower(_str(u.first_name.to_numpy().astype(str))),
        ".",
        np.strings.replace(np.strings.lower(_str(u.last_name.to_numpy().astype(str))), "'", ""),
    )
    alt_domains = _str(
        ["icloud.com", "outlook.com", "nhs.net", "accenture.com", "ed.ac.uk", "gmail.com"]
    )
    alt1 = _cat(fl, "@", alt_domains[rng.integers(0, len(alt_domains), n_cu)])
    alt2 = _cat(fl, _str(rng.integers(70, 99, n_cu).astype(str)), "@gmail.com")
    n_em = rng.choice([1, 2, 3], n_cu, p=[0.75, 0.18, 0.07])
    app_pos = np.zeros(n_cu, dtype=np.int64)
    not_first = rng.choice(n_cu, defect_count("helpscout_multiple_emails", n_cu), replace=False)
    n_em[not_first] = np.maximum(n_em[not_first], 2)
    app_pos[not_first] = 1 + (rng.random(len(not_first)) * (n_em[not_first] - 1)).astype(np.int64)
    secondary_only = np.zeros(n_cu, dtype=bool)
    secondary_only[
        rng.choice(
            not_first,
            min(len(not_first), defect_count("helpscout_secondary_email_match", n_cu)),
            replace=False,
        )
    ] = True
    # email rows: level 0..n_em-1; the app email sits at app_pos, alternates elsewhere
    ci = np.repeat(np.arange(n_cu), n_em)
    lvl = np.arange(len(ci)) - np.repeat(np.cumsum(n_em) - n_em, n_em)
    alt_k = lvl - (lvl > app_pos[ci])  # 0 or 1 among the alternates
    value = np.where(lvl == app_pos[ci], app_email[ci], np.where(alt_k == 0, alt1[ci], alt2[ci]))
    etype = np.where(
        lvl == app_pos[ci], "home", np.where(np.strings.find(value, "gmail") >= 0, "other", "work")
    )
    spam_dom = _str(
        ["seo-rank-pro.com", "mail.ru", "invoices-online.net", "prize-centre.biz", "outreach.io"]
    )
    spam_email = _cat(
        _str(np.char.mod("info%d@", rng.integers(1, 999, n_spam))),
        spam_dom[rng.integers(0, len(spam_dom), n_spam)],
    )
    emails = pd.DataFrame(
        {
            "customer_idx": np.concatenate([ci, n_cu + np.arange(n_spam)]),
            "level": np.concatenate([lvl, np.zeros(n_spam, dtype=np.int64)]),
            "value": np.concatenate([value, spam_email]).astype(object),
            "type": np.concatenate([etype, np.full(n_spam, "work")]).astype(object),
        }
    )
    emails.insert(2, "email_id", 900_000_000 + 7 * np.arange(len(emails), dtype=np.int64))
    # the email conversations carry: the app email, or the first (non-app) one
    conv_email = np.where(secondary_only, alt1, app_email)
    primary_email = np.concatenate([conv_email, spam_email])

    has_phone = np.concatenate([rng.random(n_cu) < 0.35, np.zeros(n_spam, dtype=bool)])
    n_ph = np.where(has_phone, 1 + (rng.random(n) < 0.2), 0)
    pci = np.repeat(np.arange(n), n_ph)
    plvl = np.arange(len(pci)) - np.repeat(np.cumsum(n_ph) - n_ph, n_ph)
    digits = _str(rng.integers(100_000, 999_999, len(pci)).astype(str))
    fmt = rng.integers(0, 3, len(pci))
    phone = np.select(
        [fmt == 0, fmt == 1],
        [_cat("+44 7700 ", digits), _cat("07700", digits)],
        _cat("(0)7700-", digits),
    )
    phones = pd.DataFrame(
        {
            "customer_idx": pci,
            "level": plvl,
            "phone_id": 950_000_000 + 11 * np.arange(len(pci), dtype=np.int64),
            "value": phone.astype(object),
            "type": np.where(plvl == 0, "mobile", _pick(rng, ["home", "work"], len(pci))).astype(
                object
            ),
        }
    )

    birth = np.concatenate([u.birth_year.to_numpy(), np.zeros(n_spam, dtype=np.int64)])
    has_age = (rng.random(n) < 0.3) & (np.arange(n) < n_cu)
    cities = [
        "London",
        "Manchester",
        "Bristol",
        "Leeds",
        "Edinburgh",
        "Cardiff",
        "Birmingham",
        "Brighton",
    ]
    city = _pick(rng, cities, n)
    has_addr = (rng.random(n) < 0.1) & (np.arange(n) < n_cu)
    gender = np.where(rng.random(n) < 0.85, "unknown", _pick(rng, ["male", "female"], n))
    photo = np.select(
        [rng.random(n) < 0.25, rng.random(n) < 0.05], ["gravatar", "twitter"], "unknown"
    )
    bg_pick = rng.random(n)
    background = np.where(
        bg_pick < 0.03,
        "VIP investor - handle with care",
        np.where(bg_pick < 0.05, "Prefers phone calls", None),
    )
    customers = pd.DataFrame(
        {
            "customer_idx": np.arange(n, dtype=np.int64),
            "customer_id": 402_000_000 + np.cumsum(rng.integers(1, 30, n)),
            "person_idx": np.concatenate([u.person_idx.to_numpy(), np.full(n_spam, NEVER)]),
            "app_user_id": np.concatenate([u.app_user_id.to_numpy(), np.full(n_spam, NEVER)]),
            "first_name": first,
            "last_name": last,
            "gender": gender.astype(object),
            "job_title": np.where(
                rng.random(n) < 0.03,
                _pick(rng, ["Teacher", "Engineer", "Nurse", "Director"], n),
                None,
            ),
            "location": np.where(rng.random(n) < 0.25, _cat(city, ", United Kingdom"), None),
            "organization": np.where(
                rng.random(n) < 0.03, _pick(rng, ["NHS", "Accenture", "Self-employed"], n), None
            ),
            "age_years": np.where(has_age, 2026 - birth, NEVER),
            "photo_type": photo.astype(object),
            "background": background,
            "address_city": np.where(has_addr, city, None),
            "address_state": np.where(
                has_addr, _pick(rng, ["Greater London", "Lancashire", "Avon", "Lothian"], n), None
            ),
            "address_postal_code": np.where(
                has_addr,
                _cat(
                    _pick(rng, ["SW1A", "M1", "BS1", "EH1"], n),
                    " ",
                    _str(rng.integers(1, 9, n).astype(str)),
                    "AB",
                ),
                None,
            ),
            "address_country": np.where(has_addr, "GB", None),
            "created_us": first_conv,
            "n_conversations": n_convs,
            "primary_email": primary_email.astype(object),
            "n_emails": np.concatenate([n_em, np.ones(n_spam, dtype=np.int64)]),
            "app_email_pos": np.concatenate([app_pos, np.full(n_spam, NEVER)]),
            "secondary_only": np.concatenate([secondary_only, np.zeros(n_spam, dtype=bool)]),
        }
    )
    # versions: created with the first conversation; 25% edited later (a phone, a note)
    edited = rng.random(n) < 0.25
    edit_t = first_conv + (rng.exponential(10, n) * US_PER_DAY).astype(np.int64)
    edited &= edit_t < win.horizon_us
    vc = np.concatenate([np.arange(n), np.flatnonzero(edited)])
    vt = np.concatenate([first_conv, edit_t[edited]])
    cv = pd.DataFrame({"customer_idx": vc, "updated_us": vt}).sort_values(
        ["customer_idx", "updated_us"]
    )
    cv["version"] = cv.groupby("customer_idx").cumcount()
    _stitch_times(rng, cv, "customer_idx", "updated_us")
    # Stitch typed the age column from the first values (numbers); after the
    # integration changed, ages arrive as strings and land in age__st
    split_at = win.start_us + (win.end_us - win.start_us) * 11 // 20
    cv["age_as_string"] = cv.extracted_us.to_numpy() >= split_at
    world.add("helpscout_customers", customers)
    world.add("helpscout_customer_versions", cv.reset_index(drop=True))
    world.add("helpscout_customer_emails", emails)
    world.add("helpscout_customer_phones", phones)
    return customers


def _stitch_times(rng: np.random.Generator, v: pd.DataFrame, key: str, snap: str) -> None:
    """Extraction, receipt and batch instants of versions (sorted by key, snap):
    the hourly sync after the change, strictly later for each later version."""
    k = len(v)
    slot = (
        v[snap].to_numpy() // SYNC_EVERY
        + 1
        + np.where(rng.random(k) < 0.05, rng.integers(1, 4, k), 0)
    )
    vord = v.groupby(key).cumcount().to_numpy()
    slot = pd.Series(slot - vord).groupby(v[key].to_numpy()).cummax().to_numpy() + vord
    v["extracted_us"] = slot * SYNC_EVERY + rng.integers(5, 180, k) * US_PER_SECOND
    v["received_us"] = v.extracted_us + rng.integers(5, 90, k) * US_PER_SECOND
    v["batched_us"] = v.received_us + rng.integers(2, 20, k) * US_PER_MINUTE
    v["sequence"] = v.extracted_us * 1000


# thread kinds and the text each carries
K_CUSTOMER, K_MESSAGE, K_NOTE, K_LINEITEM, K_CHAT, K_PHONE, K_FORWARD = range(7)
KIND_NAMES = np.array(["customer", "message", "note", "lineitem", "chat", "phone", "forwardparent"])
(
    R_NONE,
    R_FIRST,
    R_FOLLOW,
    R_FINAL,
    R_REOPEN,
    R_REPLY,
    R_NOTE,
    R_HANDOFF,
    R_FORWARD,
    R_PHONE,
    R_SPAM,
) = range(11)


def _threads(
    world: World,
    rng: np.random.Generator,
    conv: pd.DataFrame,
    cust: pd.DataFrame,
    agents: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Thread timeline of every conversation: customer messages, agent replies
    in office hours, assignments, handoffs, notes, forwards, closes and reopens."""
    win = world.window
    n = len(conv)
    ch = conv.channel.to_numpy()
    t0 = conv.created_us.to_numpy()
    spam, deleted = conv.is_spam.to_numpy(), conv.is_deleted.to_numpy()
    reopen, handoff = conv.reopen.to_numpy(), conv.handoff.to_numpy()
    mailbox = conv.mailbox_idx.to_numpy()
    theme, tone0 = conv.theme.to_numpy(), conv.tone0.to_numpy()
    normal = ~spam & ~deleted

    # agents: one of the mailbox team's members, the on-call agent out of hours
    team_members = [
        [i for i, a in enumerate(AGENTS) if t in a[4] and i != ONCALL_AGENT] for t in range(3)
    ]
    flat = np.array([i for g in team_members for i in g])
    cnt = np.array([len(g) for g in team_members])
    off = np.cumsum(cnt) - cnt

    def member(team: np.ndarray) -> np.ndarray:
        return (rng.random(len(team)) * cnt[team]).astype(np.int64)

    agent_a = flat[off[mailbox] + member(mailbox)]
    b_team = np.where(mailbox == 0, np.where((theme == T["complaint"]) | (tone0 == NEG), 2, 1), 0)
    b_local = member(b_team)
    agent_b = flat[off[b_team] + b_local]
    # never hand over to oneself: take the next member of the team
    agent_b = np.where(agent_b == agent_a, flat[off[b_team] + (b_local + 1) % cnt[b_team]], agent_b)

    ev = []  # event frames

    def add(
        mask,
        t,
        kind,
        role,
        agent=-1,
        assigned=-1,
        status="nochange",
        action_type=None,
        action_text=None,
    ):
        idx = np.flatnonzero(mask)
        if not len(idx):
            return

        def at(x):
            return np.asarray(x)[idx] if np.ndim(x) else np.full(len(idx), x)

        ev.append(
            pd.DataFrame(
                {
                    "conv_idx": idx,
                    "created_us": at(t).astype(np.int64),
                    "kind": at(kind),
                    "role": at(role),
                    "agent_idx": at(agent).astype(np.int64),
                    "assigned_idx": at(assigned).astype(np.int64),
                    "status": at(status),
                    "action_type": at(action_type),
                    "action_text": at(action_text),
                }
            )
        )

    first_kind = np.select([ch == CHAT, ch == PHONE], [K_CHAT, K_PHONE], K_CUSTOMER)
    reply_kind = np.where(ch == CHAT, K_CHAT, K_MESSAGE)
    # first thread: the customer's message (a call logged by the agent on phone)
    is_phone = ch == PHONE
    add(~is_phone, t0, first_kind, np.where(spam, R_SPAM, R_FIRST), status="active")
    add(is_phone, t0, K_PHONE, R_PHONE, agent=agent_a, status="active")
    add(
        is_phone & normal,
        t0 + 30 * US_PER_SECOND,
        K_LINEITEM,
        R_NONE,
        agent=agent_a,
        assigned=agent_a,
        action_type="changed-ticket-assignee",
        action_text="assigned",
    )

    # first response
    r1, oncall = _reply_at(rng, t0, ch)
    agent_a = np.where(oncall & (ch == EMAIL), ONCALL_AGENT, agent_a)
    r1 = np.where(is_phone, t0 + rng.integers(3, 20, n) * US_PER_MINUTE, r1)
    # spam and deleted: an agent marks it and stops there
    add(
        spam,
        r1,
        K_LINEITEM,
        R_NONE,
        agent=agent_a,
        status="spam",
        action_type="changed-ticket-status",
        action_text="Marked as Spam",
    )
    add(
        deleted,
        r1,
        K_LINEITEM,
        R_NONE,
        agent=agent_a,
        status="closed",
        action_type="changed-ticket-status",
        action_text="Marked as Closed",
    )
    add(
        normal & ~is_phone,
        r1 - 30 * US_PER_SECOND,
        K_LINEITEM,
        R_NONE,
        agent=agent_a,
        assigned=agent_a,
        action_type="changed-ticket-assignee",
        action_text="assigned",
    )
    add(normal & ~is_phone, r1, reply_kind, R_REPLY, agent=agent_a, status="pending")

    # exchanges: customer follow-up, agent answer (the handoff agent after a handoff)
    k = np.where(is_phone, 0, rng.choice(4, n, p=[0.45, 0.30, 0.17, 0.08]))
    k = np.where(handoff & (k == 0) & ~is_phone, 1, k)
    last_agent = r1.copy()
    responder = np.where(handoff, agent_b, agent_a)
    h_t = r1 + rng.integers(2, 90, n) * US_PER_MINUTE
    add(normal & handoff, h_t, K_NOTE, R_HANDOFF, agent=agent_a)
    add(
        normal & handoff,
        h_t + 20 * US_PER_SECOND,
        K_LINEITEM,
        R_NONE,
        agent=agent_a,
        assigned=agent_b,
        action_type="changed-ticket-assignee",
        action_text="assigned",
    )
    for j in range(1, 4):
        on = normal & (k >= j)
        c = np.maximum(last_agent, np.where(handoff, h_t, 0)) + _customer_delay(rng, ch)
        a, _ = _reply_at(rng, c, ch)
        add(on, c, np.where(ch == CHAT, K_CHAT, K_CUSTOMER), R_FOLLOW, status="active")
        add(on, a, reply_kind, R_REPLY, agent=responder, status="pending")
        last_agent = np.where(on, a, last_agent)
    # a closing word from the customer on a third of conversations
    final_msg = normal & (rng.random(n) < 0.35) & ~is_phone
    cf = last_agent + _customer_delay(rng, ch)
    add(final_msg, cf, np.where(ch == CHAT, K_CHAT, K_CUSTOMER), R_FINAL, status="active")
    end = np.where(final_msg, cf, last_agent)
    close_start, _ = _office_open(end)
    tc = np.where(
        ch == EMAIL,
        close_start + (rng.exponential(0.5, n) * US_PER_HOUR).astype(np.int64),
        end + rng.integers(1, 6, n) * US_PER_MINUTE,
    )
    tc = np.maximum(tc, end + US_PER_MINUTE)
    closer = np.where(handoff, agent_b, agent_a)
    add(
        normal,
        tc,
        K_LINEITEM,
        R_NONE,
        agent=closer,
        status="closed",
        action_type="changed-ticket-status",
        action_text="Marked as Closed",
    )
    # internal notes and forwards between the first reply and the close
    note = normal & ~handoff & (rng.random(n) < 0.2)
    add(
        note,
        r1 + ((tc - r1) * rng.random(n)).astype(np.int64) + US_PER_SECOND,
        K_NOTE,
        R_NOTE,
        agent=agent_a,
    )
    fwd = normal & (rng.random(n) < 0.03)
    add(
        fwd,
        r1 + ((tc - r1) * rng.random(n)).astype(np.int64) + 2 * US_PER_SECOND,
        K_FORWARD,
        R_FORWARD,
        agent=agent_a,
    )
    # reopen: the customer writes again, an agent reopens, answers and closes
    cr = tc + (np.exp(np.log(1.0) + rng.normal(0, 0.8, n)) * US_PER_DAY).astype(np.int64)
    ar, _ = _reply_at(rng, cr, np.where(ch == CHAT, EMAIL, ch))
    add(reopen, cr, K_CUSTOMER, R_REOPEN, status="active")
    add(
        reopen,
        ar - US_PER_MINUTE,
        K_LINEITEM,
        R_NONE,
        agent=closer,
        status="active",
        action_type="changed-ticket-status",
        action_text="Marked as Active",
    )
    add(reopen, ar, K_MESSAGE, R_REPLY, agent=closer, status="pending")
    add(
        reopen,
        ar + rng.integers(5, 120, n) * US_PER_MINUTE,
        K_LINEITEM,
        R_NONE,
        agent=closer,
        status="closed",
        action_type="changed-ticket-status",
        action_text="Marked as Closed",
    )

    conv_slots = _slot_values(rng, t0)
    th = pd.concat(ev, ignore_index=True)
    th = th.loc[th.created_us < win.horizon_us].sort_values(
        ["conv_idx", "created_us", "kind"], kind="stable"
    )
    th = th.reset_index(drop=True)
    th["pos"] = th.groupby("conv_idx").cumcount().astype(np.int64)
    th.insert(0, "thread_idx", np.arange(len(th), dtype=np.int64))
    th["thread_id"] = 7_100_000_000 + np.cumsum(rng.integers(1, 9, len(th)))
    m = len(th)
    ci = th.conv_idx.to_numpy()
    kind = th.kind.to_numpy()
    role = th.role.to_numpy()
    ag = th.agent_idx.to_numpy()

    # satisfaction: slow first replies, reopens and handoffs make customers unhappy
    first_resp_h = (r1 - t0) / US_PER_HOUR
    z = (
        0.9
        - 0.9 * (tone0 == NEG)
        + 0.4 * (tone0 == POS)
        - 0.25 * np.log1p(first_resp_h)
        - 0.9 * reopen
        - 0.3 * handoff
        + rng.normal(0, 0.45, n)
    )
    tone_final = np.select([z > 0.45, z < -0.1], [POS, NEG], NEU)
    conv["first_response_us"] = np.where(normal & ~is_phone, r1, NEVER)
    conv["satisfaction"] = z
    conv["tone_final"] = tone_final
    conv["agent_a"] = agent_a
    conv["agent_b"] = np.where(handoff, agent_b, NEVER)

    # ---- texts
    cu = cust.iloc[conv.customer_idx.to_numpy()[ci]]
    name = _str(cu.first_name.to_numpy().astype(str))
    agent_first = _str(agents.first_name.to_numpy().astype(str))[np.maximum(ag, 0)]
    team_b = _str([t[2] for t in TEAMS])[b_team[ci]]
    th_theme, th_sub = theme[ci], conv.subtopic.to_numpy()[ci]
    t_tone0, t_tonef = tone0[ci], tone_final[ci]
    openers = _pick_flat(rng, [s[3] for s in tx.SUBTOPICS], th_sub)
    openers2 = _pick_flat(rng, [s[3] for s in tx.SUBTOPICS], th_sub)
    answers = _pick_flat(rng, [s[4] for s in tx.SUBTOPICS], th_sub)
    details = _pick_flat(rng, [tx.DETAILS[t] for t in THEMES], th_theme)
    tone_groups = [
        tx.TONE["first_neg"],
        tx.TONE["first_neu"],
        tx.TONE["first_pos"],
        tx.TONE["follow_neg"],
        tx.TONE["follow_neu"],
        tx.TONE["follow_pos"],
        tx.TONE["final_neg"],
        tx.TONE["final_neu"],
        tx.TONE["final_pos"],
    ]
    mid_tone = np.where(t_tonef == NEG, NEG, np.where(t_tone0 == NEG, NEU, t_tonef))
    tone_first = _pick_flat(rng, tone_groups, t_tone0)
    tone_follow = _pick_flat(rng, tone_groups, 3 + mid_tone)
    tone_final_s = _pick_flat(rng, tone_groups, 6 + t_tonef)
    greet = _pick(rng, tx.CUSTOMER_GREETINGS, m)
    closing = _pick(rng, tx.CUSTOMER_CLOSINGS, m)
    with_detail = rng.random(m) < 0.7
    detail_s = np.where(with_detail, np.strings.add(" ", details), "")
    sign = _cat("<p>", closing, ",<br>", name, "</p>")
    first_body = np.where(
        rng.random(m) < 0.75,
        _cat("<p>", greet, ",</p><p>", openers, detail_s, " ", tone_first, "</p>", sign),
        _cat("<p>", openers, detail_s, " ", tone_first, "</p>", sign),
    )
    chat_first = _cat("<p>", openers, " ", tone_first, "</p>")
    follow_body = np.where(
        kind == K_CHAT,
        _cat("<p>", tone_follow, detail_s, "</p>"),
        _cat("<p>", tone_follow, detail_s, "</p><p>", name, "</p>"),
    )
    final_body = np.where(
        kind == K_CHAT, _cat("<p>", tone_final_s, "</p>"), _cat("<p>", tone_final_s, "</p>", sign)
    )
    reopen_intro = _pick(
        rng,
        [
            "Sorry to reopen this but it has happened again.",
            "This is still not sorted.",
            "I'm writing again about the same issue.",
        ],
        m,
    )
    reopen_body = _cat(
        "<p>",
        reopen_intro,
        " ",
        openers2,
        " ",
        _pick_flat(rng, tone_groups, 3 + t_tonef),
        "</p>",
        sign,
    )
    emp = _pick_flat(rng, [tx.AGENT_EMPATHY[k] for k in ("neg", "neu", "pos")], t_tone0)
    nxt = _pick_flat(rng, [tx.NEXT_STEPS[t] for t in THEMES], th_theme)
    links = _str(
        [
            f' You can read more about <a href="{u}">{title}</a>.'
            for u, title in (tx.HELP_LINKS[t] for t in THEMES)
        ]
    )
    link = np.where(rng.random(m) < 0.4, links[th_theme], "")
    agent_sig = _cat(
        "<p>", _pick(rng, tx.AGENT_CLOSINGS, m), ",<br>", agent_first, " from Finstack</p>"
    )
    reply_body = _cat(
        "<p>",
        _pick(rng, tx.AGENT_GREETINGS, m),
        "</p><p>",
        emp,
        " ",
        answers,
        "</p><p>",
        nxt,
        link,
        "</p>",
        agent_sig,
    )
    chat_reply = _cat("<p>", emp, " ", answers, "</p>")
    phone_body = _cat(
        "<p>",
        _pick(rng, tx.PHONE_INTROS, m),
        " ",
        openers,
        " ",
        tone_first,
        "</p><p>",
        answers,
        " ",
        nxt,
        "</p>",
    )
    note_body = _cat("<p>", _pick_flat(rng, [tx.NOTES[t] for t in THEMES], th_theme), "</p>")
    handoff_body = _cat("<p>", _pick(rng, tx.HANDOFF_NOTES, m), "</p>")
    fwd_body = _cat("<p>", _pick(rng, tx.FORWARD_NOTES, m), "</p>")
    spam_body = _cat(
        "<p>",
        _pick(rng, tx.SPAM_BODIES, m),
        ' <a href="http://bit.ly/xk2-offer">Click here</a></p>',
    )
    is_chat = kind == K_CHAT
    body = np.select(
        [
            role == R_FIRST,
            role == R_FOLLOW,
            role == R_FINAL,
            role == R_REOPEN,
            role == R_REPLY,
            role == R_NOTE,
            role == R_HANDOFF,
            role == R_FORWARD,
            role == R_PHONE,
            role == R_SPAM,
        ],
        [
            np.where(is_chat, chat_first, first_body),
            follow_body,
            final_body,
            reopen_body,
            np.where(is_chat, chat_reply, reply_body),
            note_body,
            handoff_body,
            fwd_body,
            phone_body,
            spam_body,
        ],
        _str([""] * m),
    )
    slots = {k: val[ci] for k, val in conv_slots.items()}
    body, plain = _fill_slots(
        body,
        {**slots, "name": name, "agent": agent_first, "team": team_b},
        html_pound=rng.random(m) < 0.5,
    )
    # plain-text preview of customer and agent messages
    th["preview"] = np.where(
        np.isin(role, [R_FIRST, R_FOLLOW, R_FINAL, R_REOPEN, R_REPLY, R_PHONE, R_SPAM]), plain, None
    )
    th["body"] = np.where(role == R_NONE, None, body)

    # action text of assignment lineitems names the agent
    assigned = th.assigned_idx.to_numpy()
    full = (agents.first_name + " " + agents.last_name).to_numpy(dtype=object)
    th["action_text"] = np.where(
        th.action_text.to_numpy() == "assigned",
        "Assigned to " + full[np.maximum(assigned, 0)],
        th.action_text.to_numpy(),
    )
    th["type"] = KIND_NAMES[kind]
    th["state"] = "published"
    by_customer = ag < 0
    th["source_type"] = np.select(
        [is_chat, kind == K_PHONE, by_customer], ["chat", "phone", "email"], "web"
    )
    th["source_via"] = np.where(by_customer, "customer", "user")
    saved = (role == R_REPLY) & (rng.random(m) < 0.4)
    th["saved_reply_id"] = np.where(saved, 55_000 + 10 * th_sub + rng.integers(0, 3, m), NEVER)
    opened = (kind == K_MESSAGE) & (rng.random(m) < 0.7)
    th["opened_us"] = np.where(
        opened, th.created_us + (rng.exponential(5, m) * US_PER_HOUR).astype(np.int64), NEVER
    )
    # subject of the conversation
    subj = _pick_flat(rng, [s[2] for s in tx.SUBTOPICS], conv.subtopic.to_numpy())
    subj = np.where(conv.is_spam.to_numpy(), _pick(rng, tx.SPAM_SUBJECTS, n), subj)
    urgent = (tone0 == NEG) & (rng.random(n) < 0.2) & ~spam
    subj = np.where(urgent, np.strings.add("URGENT: ", subj), subj)
    conv["subject"] = _fill_slots(subj, conv_slots)[0]
    return th, conv


def _versions(
    world: World, rng: np.random.Generator, conv: pd.DataFrame, th: pd.DataFrame
) -> pd.DataFrame:
    """Extracted versions of each conversation, with its state as of each one."""
    n = len(conv)
    ci = th.conv_idx.to_numpy()
    n_th = np.bincount(ci, minlength=n)
    start = np.cumsum(n_th) - n_th
    # cumulative state along each conversation's threads
    status = th.status.where(th.status != "nochange")
    g = th.conv_idx
    cum = pd.DataFrame({"conv_idx": ci})
    cum["status"] = status.groupby(g).ffill()
    cum["assignee_idx"] = th.assigned_idx.where(th.assigned_idx >= 0).groupby(g).ffill()
    closing = th.status == "closed"
    cum["closed_us"] = th.created_us.where(closing).groupby(g).ffill()
    cum["closed_by_idx"] = th.agent_idx.where(closing).groupby(g).ffill()
    msg = th.preview.notna()
    cust_msg = msg & (th.agent_idx < 0)
    cum["last_from"] = (
        pd.Series(np.where(th.agent_idx < 0, "customer", "user"), dtype=object)
        .where(msg)
        .groupby(g)
        .ffill()
    )
    cum["waiting_us"] = th.created_us.where(cust_msg).groupby(g).ffill()
    cum["user_updated_us"] = th.created_us.where(th.agent_idx >= 0).groupby(g).ffill()
    cum["preview"] = th.preview.groupby(g).ffill()

    # which versions: the final state, plus earlier states for 20% of conversations
    has_threads = n_th > 0
    # the re-emitted ones are mostly the long-running conversations (open across
    # syncs): first extracted just after creation, sometimes at a state in between
    multi_pool = np.flatnonzero(n_th >= 2)
    last_t = th.groupby("conv_idx").created_us.max().reindex(np.arange(n)).to_numpy()
    span_h = np.maximum(last_t - conv.created_us.to_numpy(), US_PER_MINUTE) / US_PER_HOUR
    key = np.log(span_h[multi_pool]) + rng.gumbel(0, 1.0, len(multi_pool))
    k = min(len(multi_pool), defect_count("helpscout_reemitted_versions", n))
    multi = multi_pool[np.argsort(-key)[:k]]
    mid = multi[(rng.random(len(multi)) < 0.35) & (n_th[multi] >= 3)]
    mc = np.concatenate([multi, mid])
    mpos = np.concatenate(
        [
            np.zeros(len(multi), dtype=np.int64),
            1 + (rng.random(len(mid)) * (n_th[mid] - 2)).astype(np.int64),
        ]
    )
    final = np.flatnonzero(has_threads)
    v = pd.DataFrame(
        {"conv_idx": np.concatenate([final, mc]), "pos": np.concatenate([n_th[final] - 1, mpos])}
    )
    v = v.drop_duplicates().sort_values(["conv_idx", "pos"]).reset_index(drop=True)
    row = start[v.conv_idx.to_numpy()] + v.pos.to_numpy()
    v["is_final"] = v.pos.to_numpy() == n_th[v.conv_idx.to_numpy()] - 1
    v["snapshot_us"] = th.created_us.to_numpy()[row]
    for c in (
        "status",
        "assignee_idx",
        "closed_us",
        "closed_by_idx",
        "last_from",
        "waiting_us",
        "user_updated_us",
        "preview",
    ):
        v[c] = cum[c].to_numpy()[row]
    closed = v.status.to_numpy() == "closed"
    v["closed_us"] = np.where(closed, v.closed_us.fillna(NEVER).to_numpy(), NEVER).astype(np.int64)
    v["closed_by_idx"] = np.where(closed, v.closed_by_idx.fillna(NEVER).to_numpy(), NEVER).astype(
        np.int64
    )
    for c in ("assignee_idx", "waiting_us", "user_updated_us"):
        v[c] = v[c].fillna(NEVER).astype(np.int64)
    v["n_threads"] = v.pos + 1
    v["state"] = np.where(
        v.is_final & conv.is_deleted.to_numpy()[v.conv_idx.to_numpy()], "deleted", "published"
    )
    _stitch_times(rng, v, "conv_idx", "snapshot_us")
    # "customer waiting since" as Help Scout phrases it at extraction time
    waiting = (
        (v.last_from.to_numpy() == "customer")
        & (v.waiting_us.to_numpy() >= 0)
        & (v.status != "closed")
    )
    age_min = (v.extracted_us.to_numpy() - v.waiting_us.to_numpy()) // US_PER_MINUTE
    friendly = np.select(
        [age_min < 60, age_min < 48 * 60],
        [
            _cat(_str(np.maximum(age_min, 1).astype(str)), " min ago"),
            _cat(_str((age_min // 60).astype(str)), " hours ago"),
        ],
        _cat(_str((age_min // 1440).astype(str)), " days ago"),
    )
    v["friendly"] = np.where(waiting, friendly.astype(object), None)
    v["waiting_us"] = np.where(waiting, v.waiting_us, NEVER)
    # folder: unassigned / mine / closed / spam, per mailbox
    code = np.select([v.status == "spam", closed, v.assignee_idx.to_numpy() >= 0], [6, 5, 2], 1)
    v["folder_id"] = 5_110_000 + 10 * conv.mailbox_idx.to_numpy()[v.conv_idx.to_numpy()] + code
    v.insert(2, "version", v.groupby("conv_idx").cumcount())
    return v


def _children(
    world: World,
    rng: np.random.Generator,
    conv: pd.DataFrame,
    th: pd.DataFrame,
    v: pd.DataFrame,
    cust: pd.DataFrame,
    users: pd.DataFrame,
) -> None:
    """Tags (from the theme, with noise), custom fields, cc/bcc and attachments."""
    n = len(conv)
    theme, sub = conv.theme.to_numpy(), conv.subtopic.to_numpy()
    spam = conv.is_spam.to_numpy()
    legit = np.flatnonzero(~spam)
    tagged = np.zeros(n, dtype=bool)
    tagged[legit] = True
    tagged[rng.choice(legit, defect_count("helpscout_untagged", len(legit)), replace=False)] = False
    tag_theme = theme.copy()
    tagged_idx = np.flatnonzero(tagged)
    wrong = rng.choice(
        tagged_idx, defect_count("helpscout_wrong_tag", len(tagged_idx)), replace=False
    )
    tag_theme[wrong] = (theme[wrong] + rng.integers(1, len(THEMES), len(wrong))) % len(THEMES)
    conv["tagged"] = tagged
    conv["wrong_tag"] = np.isin(np.arange(n), wrong)
    conv["tag_theme"] = np.where(tagged, tag_theme, NEVER)
    theme_tags = np.array(THEMES, dtype=object)
    bug = (
        tagged
        & np.isin(sub, [SUB["locked_account"], SUB["card_declined"], SUB["twofa"]])
        & (rng.random(n) < 0.3)
    )
    eng = users.set_index("person_idx").engagement
    person = cust.person_idx.to_numpy()[conv.customer_idx.to_numpy()]
    vip = tagged & (person >= 0) & (eng.reindex(person).fillna(0).to_numpy() > eng.quantile(0.95))
    esc = (
        tagged & (conv.tone0.to_numpy() == NEG) & (theme != T["complaint"]) & (rng.random(n) < 0.1)
    )
    parts = [(tagged, theme_tags[tag_theme]), (esc, "complaint"), (bug, "bug"), (vip, "vip")]
    tc = np.concatenate([np.flatnonzero(mask) for mask, _ in parts])
    tv = np.concatenate(
        [np.broadcast_to(np.asarray(val, dtype=object), (n,))[mask] for mask, val in parts]
    )
    tags = pd.DataFrame(
        {"conv_idx": tc, "tag": tv, "part": np.repeat(np.arange(4), [m.sum() for m, _ in parts])}
    )
    tags = tags.sort_values(["conv_idx", "part"], kind="stable").drop(columns="part")
    tags["level"] = tags.groupby("conv_idx").cumcount()
    # tags are set on the final version; orphans: an earlier version carried an extra (wrong) tag
    final_pos = v.loc[v.is_final].set_index("conv_idx").pos
    tags["pos"] = final_pos.reindex(tags.conv_idx.to_numpy()).to_numpy()
    tags = tags.loc[tags.pos.notna()]
    n_tags = tags.groupby("conv_idx").size()
    earlier = v.loc[~v.is_final].groupby("conv_idx").pos.max()
    cand = np.intersect1d(earlier.index.to_numpy(), n_tags.index.to_numpy())
    cand = rng.permutation(cand)
    rows_each = n_tags.reindex(cand).to_numpy() + 1
    target = defect_count("helpscout_orphan_tags", len(tags))
    chosen = cand[np.cumsum(rows_each) <= max(target, rows_each[0] if len(cand) else 0)]
    old = tags.loc[tags.conv_idx.isin(chosen)].copy()
    extra = pd.DataFrame(
        {
            "conv_idx": chosen,
            "tag": theme_tags[
                (theme[chosen] + 1 + rng.integers(0, len(THEMES) - 1, len(chosen))) % len(THEMES)
            ],
            "level": n_tags.reindex(chosen).to_numpy(),
        }
    )
    old = pd.concat([old, extra], ignore_index=True)
    old["pos"] = earlier.reindex(old.conv_idx.to_numpy()).to_numpy()
    tags["orphan"] = False
    old["orphan"] = True
    tags = pd.concat([tags, old], ignore_index=True).sort_values(["conv_idx", "pos", "level"])
    tags["pos"] = tags.pos.astype(np.int64)
    tags["tag_id"] = tags.tag.map({k: val[0] for k, val in TAGS.items()}).astype(np.int64)
    tags["color"] = tags.tag.map({k: val[1] for k, val in TAGS.items()})
    world.add("helpscout_conversation_tags", tags.reset_index(drop=True))

    # custom fields: Product on money conversations, Priority on complaints and angry ones
    prod_on = (
        ~spam
        & np.isin(theme, [T["withdrawal"], T["interest"], T["deposit"], T["isa"]])
        & (rng.random(n) < 0.7)
    )
    prod_opt = rng.integers(0, len(tx.PRODUCTS), n)
    prio_on = (
        ~spam & ((theme == T["complaint"]) | (conv.tone0.to_numpy() == NEG)) & (rng.random(n) < 0.8)
    )
    prio_opt = np.where(theme == T["complaint"], rng.integers(2, 4, n), rng.integers(0, 3, n))
    cf = pd.concat(
        [
            pd.DataFrame(
                {
                    "conv_idx": np.flatnonzero(prod_on),
                    "field_id": 41001,
                    "name": "Product",
                    "value": (71_000 + prod_opt[prod_on]).astype(str),
                    "text": np.array(tx.PRODUCTS, dtype=object)[prod_opt[prod_on]],
                }
            ),
            pd.DataFrame(
                {
                    "conv_idx": np.flatnonzero(prio_on),
                    "field_id": 41002,
                    "name": "Priority",
                    "value": (72_000 + prio_opt[prio_on]).astype(str),
                    "text": np.array(["Low", "Normal", "High", "Urgent"], dtype=object)[
                        prio_opt[prio_on]
                    ],
                }
            ),
        ],
        ignore_index=True,
    ).sort_values(["conv_idx", "field_id"])
    cf["level"] = cf.groupby("conv_idx").cumcount()
    world.add("helpscout_custom_fields", cf.reset_index(drop=True))

    # cc (a partner or accountant) and bcc (the complaints log)
    cc_on = ~spam & (rng.random(n) < 0.04)
    bcc_on = ~spam & (
        ((conv.mailbox_idx.to_numpy() == 2) & (rng.random(n) < 0.5)) | (rng.random(n) < 0.01)
    )
    who = _pick(rng, ["partner", "accounts", "j.smith", "family.office", "p.jones"], n)
    dom = _pick(rng, ["gmail.com", "outlook.com", "accountants.co.uk"], n)
    cc = pd.concat(
        [
            pd.DataFrame(
                {
                    "conv_idx": np.flatnonzero(cc_on),
                    "kind": "cc",
                    "value": _cat(who, "@", dom)[cc_on].astype(object),
                }
            ),
            pd.DataFrame(
                {
                    "conv_idx": np.flatnonzero(bcc_on),
                    "kind": "bcc",
                    "value": f"complaints-log@{COMPANY_DOMAIN}",
                }
            ),
        ],
        ignore_index=True,
    )
    cc["level"] = 0
    world.add("helpscout_cc", cc)

    # attachments: ID documents on KYC messages, screenshots on deposits and complaints
    role, tth = th.role.to_numpy(), theme[th.conv_idx.to_numpy()]
    pcust = np.isin(role, [R_FIRST, R_FOLLOW])
    p = np.select(
        [tth == T["kyc"], tth == T["deposit"], tth == T["complaint"]], [0.35, 0.2, 0.1], 0.03
    )
    att_on = pcust & (th.kind.to_numpy() != K_CHAT) & (rng.random(len(th)) < p)
    k = np.where(att_on, 1 + (rng.random(len(th)) < 0.25), 0)
    ti = np.repeat(np.arange(len(th)), k)
    lvl = np.arange(len(ti)) - np.repeat(np.cumsum(k) - k, k)
    is_kyc = theme[th.conv_idx.to_numpy()[ti]] == T["kyc"]
    names = np.where(
        is_kyc,
        _pick(
            rng,
            [
                "passport.jpg",
                "driving_licence.pdf",
                "IMG_4821.jpeg",
                "selfie.png",
                "utility_bill.pdf",
            ],
            len(ti),
        ),
        _pick(
            rng,
            ["screenshot.png", "bank_statement.pdf", "Screenshot 2026-03-02.png", "letter.pdf"],
            len(ti),
        ),
    )
    ext = pd.Series(names).str.extract(r"\.(\w+)$")[0].to_numpy()
    mime = (
        pd.Series(ext)
        .map(
            {
                "jpg": "image/jpeg",
                "jpeg": "image/jpeg",
                "png": "image/png",
                "pdf": "application/pdf",
            }
        )
        .to_numpy()
    )
    att = pd.DataFrame(
        {
            "thread_idx": ti,
            "level": lvl,
            "attachment_id": 300_000_000 + 13 * np.arange(len(ti), dtype=np.int64),
            "filename": names.astype(object),
            "mime_type": mime,
            "size": rng.integers(40_000, 4_500_000, len(ti)),
        }
    )
    world.add("helpscout_attachments", att)


def _ratings(world: World, rng: np.random.Generator, conv: pd.DataFrame, th: pd.DataFrame) -> None:
    """Happiness ratings on ~30% of closed conversations, from the satisfaction
    behind the customer's tone (itself driven by the response time)."""
    win = world.window
    closed = th.loc[th.status == "closed"].groupby("conv_idx").created_us.min()
    replies = th.loc[th.role == R_REPLY]
    # the rated reply: the last agent answer before the first close
    rp = replies.merge(closed.rename("closed_us"), left_on="conv_idx", right_index=True)
    rp = (
        rp.loc[rp.created_us < rp.closed_us]
        .sort_values(["conv_idx", "created_us"])
        .groupby("conv_idx")
        .tail(1)
    )
    ci = rp.conv_idx.to_numpy()
    ok = ~conv.is_deleted.to_numpy()[ci] & ~conv.is_spam.to_numpy()[ci]
    rp, ci = rp.loc[ok], ci[ok]
    z = conv.satisfaction.to_numpy()[ci]
    rated = rng.random(len(ci)) < np.clip(0.24 + 0.12 * np.abs(z), 0, 0.6)
    rp, ci, z = rp.loc[rated], ci[rated], z[rated]
    k = len(ci)
    noisy = z + rng.normal(0, 0.25, k)
    kind = np.select([noisy > 0.3, noisy < -0.2], ["great", "not good"], "okay")
    created = rp.created_us.to_numpy() + (
        np.exp(np.log(2.0) + rng.normal(0, 1.0, k)) * US_PER_HOUR
    ).astype(np.int64)
    comment_groups = [tx.RATING_COMMENTS[x] for x in ("great", "okay", "not good")]
    code = np.select([kind == "great", kind == "okay"], [0, 1], 2)
    comments = np.where(
        rng.random(k) < 0.4, _pick_flat(rng, comment_groups, code).astype(object), None
    )
    rt = pd.DataFrame(
        {
            "conv_idx": ci,
            "thread_idx": rp.thread_idx.to_numpy(),
            "thread_created_us": rp.created_us.to_numpy(),
            "rating_id": 4_100_000 + np.arange(k, dtype=np.int64) * 3,
            "customer_idx": conv.customer_idx.to_numpy()[ci],
            "agent_idx": rp.agent_idx.to_numpy(),
            "comments": comments,
            "created_us": created,
            "type": kind.astype(object),
        }
    )
    rt = rt.loc[rt.created_us < win.horizon_us].sort_values("created_us").reset_index(drop=True)
    rt["rating_id"] = 4_100_000 + 3 * np.arange(len(rt), dtype=np.int64)
    # the report is pulled nightly at 03:00 UTC
    rt["arrival_us"] = (
        (rt.created_us // US_PER_DAY + 1) * US_PER_DAY
        + 3 * US_PER_HOUR
        + rng.integers(0, 30, len(rt)) * US_PER_MINUTE
    )
    world.add("helpscout_ratings", rt)


# --------------------------------------------------------------------------- raw tables

MODE = "append" if LOADING == "append" else "state"
W = "_world."


def _sdc(alias: str, seq: str | None = None) -> str:
    """Stitch columns of a row from the version (or batch) ``alias``."""
    return (
        f"ts_of({alias}.batched_us) AS _sdc_batched_at, ts_of({alias}.received_us) AS _sdc_received_at, "
        f"ts_of({alias}.extracted_us) AS _sdc_extracted_at, {seq or alias + '.sequence'} AS _sdc_sequence, "
        f"CAST(NULL AS BIGINT) AS _sdc_table_version, ts_of({alias}.batched_us) AS _arrival_at"
    )


def _loaded(sql: str, keys: str) -> str:
    """Append-only: every extracted version is a row. Upsert: the latest
    version per key landed before the cut-off."""
    if LOADING == "append":
        return sql
    return (
        "SELECT * FROM (" + sql + ") AS loaded WHERE _arrival_at < {cutoff} "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _sdc_sequence DESC) = 1"
    )


# full-table streams (staff, mailboxes, teams): re-extracted by the nightly sync
# at 02:20 UTC; each sync is a new _sdc_table_version
_FULL_SYNC = "(SELECT {cutoff} - INTERVAL 21 HOUR - INTERVAL 40 MINUTE AS s) AS sync"
_FULL_SDC = (
    "sync.s + INTERVAL 9 MINUTE AS _sdc_batched_at, sync.s + INTERVAL 50 SECOND AS _sdc_received_at, "
    "sync.s AS _sdc_extracted_at, epoch_ms(sync.s) * 1000000 + {row} AS _sdc_sequence, "
    "epoch_ms(sync.s) AS _sdc_table_version, sync.s + INTERVAL 9 MINUTE AS _arrival_at"
)

_CONV_SQL = f"""
SELECT c.conversation_id AS id, c.number, v.n_threads AS threads, c.type, v.folder_id,
    v.status, v.state, c.subject, v.preview, mb.mailbox_id,
    a.user_id AS assignee__id, CASE WHEN a.user_id IS NOT NULL THEN 'user' END AS assignee__type,
    a.first_name AS assignee__first, a.last_name AS assignee__last, a.email AS assignee__email,
    CASE WHEN c.channel = {PHONE} THEN ca.user_id ELSE cu.customer_id END AS created_by__id,
    CASE WHEN c.channel = {PHONE} THEN 'user' ELSE 'customer' END AS created_by__type,
    CASE WHEN c.channel = {PHONE} THEN ca.email ELSE cu.primary_email END AS created_by__email,
    cu.customer_id AS primary_customer__id, cu.primary_email AS primary_customer__email,
    cu.first_name AS primary_customer__first, cu.last_name AS primary_customer__last,
    ts_of(v.waiting_us) AS customer_waiting_since__time,
    v.friendly AS customer_waiting_since__friendly,
    v.last_from AS customer_waiting_since__last_reply_from,
    CASE c.channel WHEN {EMAIL} THEN 'email' WHEN {CHAT} THEN 'beacon-v2' ELSE 'phone' END AS source__type,
    CASE WHEN c.channel = {PHONE} THEN 'user' ELSE 'customer' END AS source__via,
    cb.user_id AS closed_by, ts_of(v.closed_us) AS closed_at, ts_of(c.created_us) AS created_at,
    ts_of(v.snapshot_us) AS updated_at, ts_of(v.user_updated_us) AS user_updated_at,
    {_sdc("v")}
FROM {W}helpscout_conversation_versions v
JOIN {W}helpscout_conversations c USING (conv_idx)
JOIN {W}helpscout_customers cu USING (customer_idx)
JOIN {W}helpscout_mailboxes mb USING (mailbox_idx)
LEFT JOIN {W}helpscout_agents a ON a.agent_idx = v.assignee_idx
LEFT JOIN {W}helpscout_agents ca ON ca.agent_idx = c.agent_a
LEFT JOIN {W}helpscout_agents cb ON cb.agent_idx = v.closed_by_idx
"""

# a thread is re-extracted with every version of its conversation that includes it
_THREAD_ROWS = f"""
{W}helpscout_threads t
JOIN {W}helpscout_conversation_versions v ON v.conv_idx = t.conv_idx AND t.pos <= v.pos
"""

_THREADS_SQL = f"""
SELECT t.thread_id AS id, c.conversation_id, t.type, t.status, t.state,
    t.action_type AS action__type, t.action_text AS action__text, t.body,
    t.source_type AS source__type, t.source_via AS source__via,
    cu.customer_id AS customer__id, cu.primary_email AS customer__email,
    CASE WHEN t.agent_idx >= 0 THEN a.user_id ELSE cu.customer_id END AS created_by__id,
    CASE WHEN t.agent_idx >= 0 THEN 'user' ELSE 'customer' END AS created_by__type,
    CASE WHEN t.agent_idx >= 0 THEN a.email ELSE cu.primary_email END AS created_by__email,
    asg.user_id AS assigned_to__id, NULLIF(t.saved_reply_id, -1) AS saved_reply_id,
    ts_of(t.created_us) AS created_at,
    CASE WHEN t.opened_us <= v.snapshot_us THEN ts_of(t.opened_us) END AS opened_at,
    {_sdc("v", "v.sequence + t.pos + 1")}
FROM {_THREAD_ROWS}
JOIN {W}helpscout_conversations c ON c.conv_idx = t.conv_idx
JOIN {W}helpscout_customers cu ON cu.customer_idx = c.customer_idx
LEFT JOIN {W}helpscout_agents a ON a.agent_idx = t.agent_idx
LEFT JOIN {W}helpscout_agents asg ON asg.agent_idx = t.assigned_idx
"""

_CUST_CURRENT = f"""
cur AS (
    SELECT * FROM {W}helpscout_customer_versions
    WHERE ts_of(batched_us) < {{cutoff}}
    QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY sequence DESC) = 1
)"""

_CUSTOMERS_SQL = f"""
WITH {_CUST_CURRENT}
SELECT cu.customer_id AS id, cu.first_name, cu.last_name, cu.gender, cu.job_title, cu.location,
    cu.organization,
    CASE WHEN cu.age_years >= 0 AND NOT cur.age_as_string THEN cu.age_years END AS age,
    CASE WHEN cu.age_years >= 0 AND cur.age_as_string THEN CAST(cu.age_years AS VARCHAR) END AS age__st,
    cu.photo_type,
    CASE cu.photo_type
        WHEN 'gravatar' THEN 'https://www.gravatar.com/avatar/' || h('hs_photo', cu.customer_id)
        WHEN 'twitter' THEN 'https://pbs.twimg.com/profile_images/' || substr(h('hs_tw', cu.customer_id), 1, 12) || '/photo.jpg'
    END AS photo_url,
    cu.background, cu.address_city AS address__city, cu.address_state AS address__state,
    cu.address_postal_code AS address__postal_code, cu.address_country AS address__country,
    ts_of(cu.created_us) AS created_at, ts_of(cur.updated_us) AS updated_at,
    {_sdc("cur")}
FROM cur JOIN {W}helpscout_customers cu USING (customer_idx)
"""


def _customer_array(frame: str, id_col: str) -> str:
    return f"""
WITH {_CUST_CURRENT}
SELECT cu.customer_id AS _sdc_source_key_id, e.level AS _sdc_level_0_id, e.{id_col} AS id,
    e.value, e.type, {_sdc("cur")}
FROM {W}{frame} e
JOIN cur USING (customer_idx)
JOIN {W}helpscout_customers cu USING (customer_idx)
"""


_VERSION_CHILD = f"""
JOIN {W}helpscout_conversation_versions v ON v.conv_idx = x.conv_idx
JOIN {W}helpscout_conversations c ON c.conv_idx = x.conv_idx
"""


def _cc_sql(kind: str) -> str:
    return f"""
SELECT c.conversation_id AS _sdc_source_key_id, x.level AS _sdc_level_0_id, x.value, {_sdc("v")}
FROM {W}helpscout_cc x {_VERSION_CHILD}
WHERE x.kind = '{kind}'
"""


SUB_KEYS = "_sdc_source_key_id, _sdc_level_0_id"

register(
    RawTable(
        schema=SCHEMA,
        name="conversations",
        columns=cols(
            "id:int, number:int, threads:int, type, folder_id:int, status, state, subject, preview, "
            "mailbox_id:int, assignee__id:int, assignee__type, assignee__first, assignee__last, "
            "assignee__email, created_by__id:int, created_by__type, created_by__email, "
            "primary_customer__id:int, primary_customer__email, primary_customer__first, "
            "primary_customer__last, customer_waiting_since__time:ts, customer_waiting_since__friendly, "
            "customer_waiting_since__last_reply_from, source__type, source__via, closed_by:int, "
            "closed_at:ts, created_at:ts, updated_at:ts, user_updated_at:ts"
        )
        + SDC_COLS,
        sql=_loaded(_CONV_SQL, "id"),
        mode=MODE,
        description="Help Scout conversations (Stitch). Append-only loading: one row per extracted "
        "version, the latest _sdc_sequence per id is the current state.",
        grain="one row per conversation version (append) / per conversation (upsert)",
        keys=["id", "_sdc_sequence"] if LOADING == "append" else ["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversations__tags",
        columns=SUB_KEY_COLS + cols("id:int, tag, color") + SDC_COLS,
        sql=_loaded(
            f"""
SELECT c.conversation_id AS _sdc_source_key_id, x.level AS _sdc_level_0_id, x.tag_id AS id, x.tag, x.color,
    {_sdc("v")}
FROM {W}helpscout_conversation_tags x
JOIN {W}helpscout_conversation_versions v ON v.conv_idx = x.conv_idx AND v.pos = x.pos
JOIN {W}helpscout_conversations c ON c.conv_idx = x.conv_idx
""",
            SUB_KEYS,
        ),
        mode=MODE,
        description="Tags of a conversation version (set by agents). Rows whose _sdc_sequence is not "
        "the parent's latest are orphans of a superseded version.",
        grain="one row per tag per conversation version",
        keys=["_sdc_source_key_id", "_sdc_sequence", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversations__custom_fields",
        columns=SUB_KEY_COLS + cols("id:int, name, value, text") + SDC_COLS,
        sql=_loaded(
            f"""
SELECT c.conversation_id AS _sdc_source_key_id, x.level AS _sdc_level_0_id, x.field_id AS id, x.name,
    x.value, x.text, {_sdc("v")}
FROM {W}helpscout_custom_fields x {_VERSION_CHILD}
""",
            SUB_KEYS,
        ),
        mode=MODE,
        description="Custom fields (Product, Priority) of a conversation version.",
        grain="one row per field per conversation version",
        keys=["_sdc_source_key_id", "_sdc_sequence", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversations__cc",
        columns=SUB_KEY_COLS + cols("value") + SDC_COLS,
        sql=_loaded(_cc_sql("cc"), SUB_KEYS),
        mode=MODE,
        description="Cc addresses of a conversation version.",
        grain="one row per address per conversation version",
        keys=["_sdc_source_key_id", "_sdc_sequence", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversations__bcc",
        columns=SUB_KEY_COLS + cols("value") + SDC_COLS,
        sql=_loaded(_cc_sql("bcc"), SUB_KEYS),
        mode=MODE,
        description="Bcc addresses of a conversation version.",
        grain="one row per address per conversation version",
        keys=["_sdc_source_key_id", "_sdc_sequence", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversation_threads",
        columns=cols(
            "id:int, conversation_id:int, type, status, state, action__type, action__text, body, "
            "source__type, source__via, customer__id:int, customer__email, created_by__id:int, "
            "created_by__type, created_by__email, assigned_to__id:int, saved_reply_id:int, "
            "created_at:ts, opened_at:ts"
        )
        + SDC_COLS,
        sql=_loaded(_THREADS_SQL, "id"),
        mode=MODE,
        description="Threads (customer messages, staff replies, notes, lineitems). Re-extracted with "
        "each version of their conversation: the latest _sdc_sequence per id wins.",
        grain="one row per thread per extraction (append) / per thread (upsert)",
        keys=["id", "_sdc_sequence"] if LOADING == "append" else ["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="conversation_threads__attachments",
        columns=SUB_KEY_COLS + cols("id:int, filename, mime_type, size:int") + SDC_COLS,
        sql=_loaded(
            f"""
SELECT t.thread_id AS _sdc_source_key_id, x.level AS _sdc_level_0_id, x.attachment_id AS id, x.filename,
    x.mime_type, x.size, {_sdc("v", "v.sequence + t.pos + 1")}
FROM {W}helpscout_attachments x
JOIN {_THREAD_ROWS} ON t.thread_idx = x.thread_idx
""",
            SUB_KEYS,
        ),
        mode=MODE,
        description="Attachments of a thread extraction (ID documents, screenshots).",
        grain="one row per attachment per thread extraction",
        keys=["_sdc_source_key_id", "_sdc_sequence", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="customers",
        # age: typed from the first values (numbers); strings arrived later -> age__st
        columns=cols(
            "id:int, first_name, last_name, gender, job_title, location, organization, age:int, age__st, "
            "photo_type, photo_url, background, address__city, address__state, address__postal_code, "
            "address__country, created_at:ts, updated_at:ts"
        )
        + SDC_COLS,
        sql=_CUSTOMERS_SQL,
        mode="state",
        description="Help Scout customers (one per person who wrote in, plus spam senders), upserted. "
        "age arrived as a number, later as a string: Stitch split it into age and age__st.",
        grain="one row per customer",
        keys=["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="customers__emails",
        columns=SUB_KEY_COLS + cols("id:int, value, type") + SDC_COLS,
        sql=_customer_array("helpscout_customer_emails", "email_id"),
        mode="state",
        description="Emails of a customer (1-3; the app email is not always the first).",
        grain="one row per customer email",
        keys=["_sdc_source_key_id", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="customers__phones",
        columns=SUB_KEY_COLS + cols("id:int, value, type") + SDC_COLS,
        sql=_customer_array("helpscout_customer_phones", "phone_id"),
        mode="state",
        description="Phone numbers of a customer.",
        grain="one row per customer phone",
        keys=["_sdc_source_key_id", "_sdc_level_0_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="users",
        columns=cols(
            "id:int, first_name, last_name, email, role, timezone, type, created_at:ts, "
            "updated_at:ts"
        )
        + SDC_COLS,
        sql=f"""
SELECT a.user_id AS id, a.first_name, a.last_name, a.email, a.role, a.timezone, 'user' AS type,
    ts_of(a.created_us) AS created_at, ts_of(a.updated_us) AS updated_at,
    {_FULL_SDC.format(row="a.agent_idx")}
FROM {W}helpscout_agents a, {_FULL_SYNC}
""",
        mode="state",
        description="Support staff (Help Scout users), full-table replicated nightly.",
        grain="one row per staff user",
        keys=["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="mailboxes",
        columns=cols("id:int, name, slug, email, created_at:ts, updated_at:ts") + SDC_COLS,
        sql=f"""
SELECT m.mailbox_id AS id, m.name, m.slug, m.email, ts_of(m.created_us) AS created_at,
    ts_of(m.updated_us) AS updated_at, {_FULL_SDC.format(row="m.mailbox_idx")}
FROM {W}helpscout_mailboxes m, {_FULL_SYNC}
""",
        mode="state",
        description="Mailboxes (Support, Payments, Complaints).",
        grain="one row per mailbox",
        keys=["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="teams",
        columns=cols("id:int, name, slug, email, created_at:ts, updated_at:ts") + SDC_COLS,
        sql=f"""
SELECT t.team_id AS id, t.name, t.slug, CAST(NULL AS VARCHAR) AS email, ts_of(t.created_us) AS created_at,
    ts_of(t.updated_us) AS updated_at, {_FULL_SDC.format(row="t.team_idx")}
FROM {W}helpscout_teams t, {_FULL_SYNC}
""",
        mode="state",
        description="Teams of agents (teams have no email in Help Scout).",
        grain="one row per team",
        keys=["id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="team_members",
        columns=cols("team_id:int, user_id:int") + SDC_COLS,
        sql=f"""
SELECT tm.team_id, tm.user_id, {_FULL_SDC.format(row="tm.user_id % 1000")}
FROM {W}helpscout_team_members tm, {_FULL_SYNC}
""",
        mode="state",
        description="Membership of agents in teams.",
        grain="one row per team and user",
        keys=["team_id", "user_id"],
    ),
    RawTable(
        schema=SCHEMA,
        name="happiness_ratings_report",
        columns=cols(
            "conversation_id:int, thread_id:int, thread_created_at:ts, rating_id:int, "
            "rating_customer_id:int, rating_user_id:int, rating_comments, rating_created_at:ts, "
            "type"
        )
        + SDC_COLS,
        sql=f"""
SELECT c.conversation_id, t.thread_id, ts_of(r.thread_created_us) AS thread_created_at, r.rating_id,
    cu.customer_id AS rating_customer_id, a.user_id AS rating_user_id, r.comments AS rating_comments,
    ts_of(r.created_us) AS rating_created_at, r.type,
    ts_of(r.arrival_us) AS _sdc_batched_at, ts_of(r.arrival_us - 540000000) AS _sdc_received_at,
    ts_of(r.arrival_us - 600000000) AS _sdc_extracted_at, (r.arrival_us - 600000000) * 1000 + r.rating_id % 1000
        AS _sdc_sequence,
    CAST(NULL AS BIGINT) AS _sdc_table_version, ts_of(r.arrival_us) AS _arrival_at
FROM {W}helpscout_ratings r
JOIN {W}helpscout_conversations c USING (conv_idx)
JOIN {W}helpscout_threads t ON t.thread_idx = r.thread_idx
JOIN {W}helpscout_customers cu ON cu.customer_idx = r.customer_idx
JOIN {W}helpscout_agents a ON a.agent_idx = r.agent_idx
""",
        mode="append",
        description="Happiness ratings report (great / okay / not good), pulled nightly.",
        grain="one row per rating",
        keys=["rating_id"],
    ),
)

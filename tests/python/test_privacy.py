"""GDPR erasure and personal data in the built warehouse (DESIGN §8).

One tiny warehouse is built (`dbt build` of models and seeds, no tests) and
reused by every test here:

- the generator's own completed erasures (seed 7 has five) must leave no
  identifier of those people in any model outside staging;
- three customers with as much data as possible (card deposits, investments,
  Help Scout conversations, several Segment devices, a HubSpot contact) are
  then erased the way the app does it: a completed full erasure request, the
  email overwritten with 'erased+<hash>@invalid', names and date of birth
  nulled. Segment, HubSpot, Stripe and Help Scout raw data stay untouched
  (their deletions lag). Every identifier of theirs is collected from the
  warehouse and raw data before the erasure; after an incremental `dbt run`
  (the incremental models must purge what they stored) none may remain in
  any intermediate or mart relation, dim_users_pii included;
- no mart except dim_users_pii holds an email (regex), a phone number (a
  phone-shaped value, or one of the raw data's phone numbers), an IPv4 or
  IPv6 address (regex) or a person's name (a value equal to the first +
  last name or the surname of an app user or a Help Scout customer).

Scanning rules: identifiers that are not plain numbers (uuids, ULIDs,
emails, hashes, cus_/ch_/pi_/re_/pm_ ids, anonymous and session ids) are
searched in every text column as substrings, case-insensitively (stricter
than equality: a visitor key like 'web:<anonymous id>' is caught too);
numeric ids (app user, account, investment, HubSpot contact, Help Scout
customer and conversation ids) only by equality in columns whose name says
they hold that kind of id. int_privacy__erased_identifiers_collected is the
erasure list itself (it must hold the ids it suppresses) and is not scanned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from warehouse import Warehouse

SCANNED_PREFIXES = ("int_", "fct_", "dim_", "rpt_")
MART_PREFIXES = ("fct_", "dim_", "rpt_")
PII_MART = "dim_users_pii"
ERASURE_LIST = "int_privacy__erased_identifiers_collected"
SUBJECT_COUNT = 3
# numeric ids are compared only with columns whose name ends like this
NUMERIC_COLUMN_SUFFIXES = {
    "app_user_id": "user_id",
    "account_id": "account_id",
    "investment_id": "investment_id",
    "hubspot_contact_id": "contact_id",
    "helpscout_customer_id": "customer_id",
    "helpscout_conversation_id": "conversation_id",
}
# kinds that must be visible in the marts before the erasure (the scan works)
KINDS_SEEN_BEFORE_ERASURE = {
    "user_id",
    "user_key",
    "anonymous_id",
    "session_id",
    "payment_intent_id",
}
SEGMENT_SCHEMAS = ("segment_web", "segment_ios", "segment_android", "segment_server")
EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PHONE_RE = r"^\s*[+(0][0-9 ()+./-]{8,}[0-9]\s*$"
IPV4_RE = r"(^|[^\w./])((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)($|[^\w.])"
IPV6_RE = (
    r"(?i)(^|[^\w:])(([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
    r"|([0-9a-f]{1,4}:){1,6}:([0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}"
    r"|::([0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})($|[^\w:])"
)


@dataclass(frozen=True)
class Identifier:
    person: str  # public user id
    kind: str
    value: str

    @property
    def is_numeric(self) -> bool:
        return self.value.isdigit()


def _connect(db: Path, raw: Path) -> duckdb.DuckDBPyConnection:
    """The built database with the raw data its staging views read."""
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{raw}' AS raw (READ_ONLY)")
    return con


def _salted_hash(value: str) -> str:
    """hash_key(): md5 of var('hash_salt') (from FINSTACK_HASH_SALT) + value."""
    salt = os.environ.get("FINSTACK_HASH_SALT", "finstack-dev-salt")
    return hashlib.md5((salt + value).encode()).hexdigest()


def _values(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> set[str]:
    return {str(r[0]) for r in con.execute(sql, params).fetchall() if r[0] is not None}


def _segment_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Raw Segment tables that carry both an anonymous and a user id."""
    rows = con.execute(
        "select schema_name, table_name from duckdb_columns() "
        "where database_name = 'raw' and column_name in ('anonymous_id', 'user_id') "
        "group by all having count(*) = 2"
    ).fetchall()
    return [f"raw.{s}.{t}" for s, t in rows if s in SEGMENT_SCHEMAS]


def collect_identifiers(
    con: duckdb.DuckDBPyConnection, app_user_ids: list[str]
) -> list[Identifier]:
    """Every identifier of these app users that the raw data and the built
    warehouse hold, gathered independently of the models' erasure logic."""
    found: list[Identifier] = []
    seg_tables = _segment_tables(con)
    for app_user_id in app_user_ids:
        (user_id, hubspot_contact_id, stripe_customer_id, app_email) = con.execute(
            "select public_id, cast(hubspot_contact_id as varchar), stripe_customer_id, email "
            "from raw.app_mysql.users where cast(id as varchar) = ?",
            [app_user_id],
        ).fetchone()
        ids: dict[str, set[str]] = {
            "user_id": {user_id},
            "app_user_id": {app_user_id},
            "user_key": {_salted_hash(user_id)},
        }
        # HubSpot: the app's link, contacts naming the user, merged-away ones
        contacts = _values(
            con,
            "select cast(id as varchar) from raw.hubspot.contact "
            "where property_app_user_id in (?, ?) or cast(id as varchar) = ?",
            [app_user_id, user_id, hubspot_contact_id or ""],
        )
        ids["hubspot_contact_id"] = contacts
        # emails: the app's (unless already overwritten), HubSpot's current
        # and historical values, Stripe's, Segment's traits
        emails = set() if app_email is None or app_email.startswith("erased+") else {app_email}
        contact_list = sorted(contacts) or [""]
        emails |= _values(
            con,
            "select property_email from raw.hubspot.contact "
            "where list_contains(?, cast(id as varchar)) "
            "union select value from raw.hubspot.contact_property_history "
            "where name = 'email' and list_contains(?, cast(contact_id as varchar))",
            [contact_list, contact_list],
        )
        customers = _values(
            con,
            "select customer_id from main.stg_stripe__customers "
            "where user_id = ? or app_user_id = ? or customer_id = ?",
            [user_id, app_user_id, stripe_customer_id or ""],
        )
        customer_list = sorted(customers) or [""]
        emails |= _values(
            con,
            "select email from raw.stripe.customer where list_contains(?, id)",
            [customer_list],
        )
        for table in seg_tables:
            cols = {
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'raw' "
                    "and schema_name || '.' || table_name = ?",
                    [table.removeprefix("raw.")],
                ).fetchall()
            }
            if "email" in cols:
                emails |= _values(
                    con,
                    f"select email from {table} where user_id in (?, ?)",
                    [user_id, app_user_id],
                )
        normalized = {e.strip().lower() for e in emails if e and e.strip()}
        # Help Scout: customers holding any of these emails (secondary too),
        # then every email of those customers and their conversations
        helpscout = _values(
            con,
            "select cast(_sdc_source_key_id as varchar) from raw.helpscout.customers__emails "
            "where list_contains(?, lower(trim(value)))",
            [sorted(normalized) or [""]],
        )
        helpscout_list = sorted(helpscout) or [""]
        normalized |= {
            e.strip().lower()
            for e in _values(
                con,
                "select value from raw.helpscout.customers__emails "
                "where list_contains(?, cast(_sdc_source_key_id as varchar))",
                [helpscout_list],
            )
        }
        ids["helpscout_customer_id"] = helpscout
        ids["helpscout_conversation_id"] = _values(
            con,
            "select cast(id as varchar) from raw.helpscout.conversations "
            "where list_contains(?, cast(primary_customer__id as varchar))",
            [helpscout_list],
        )
        ids["email"] = normalized
        ids["email_hash"] = {_salted_hash(e) for e in normalized} | {
            hashlib.md5(e.encode()).hexdigest() for e in normalized
        }
        # Stripe: customers, their payment methods, intents, charges, refunds
        ids["stripe_customer_id"] = customers
        ids["payment_method_id"] = _values(
            con,
            "select id from raw.stripe.payment_method where list_contains(?, customer_id)",
            [customer_list],
        )
        charges = _values(
            con,
            "select charge_id from main.stg_stripe__charges "
            "where list_contains(?, customer_id) or user_id = ?",
            [customer_list, user_id],
        )
        ids["charge_id"] = charges
        ids["payment_intent_id"] = _values(
            con,
            "select payment_intent_id from main.stg_stripe__charges "
            "where list_contains(?, charge_id) "
            "union select payment_intent_id from main.stg_stripe__payment_intents "
            "where list_contains(?, customer_id) or user_id = ?",
            [sorted(charges) or [""], customer_list, user_id],
        )
        ids["refund_id"] = _values(
            con,
            "select refund_id from main.stg_stripe__refunds "
            "where list_contains(?, charge_id) or list_contains(?, payment_intent_id)",
            [sorted(charges) or [""], sorted(ids["payment_intent_id"]) or [""]],
        )
        # the app's accounts and investments (numeric and public ids)
        ids["account_id"] = _values(
            con,
            "select cast(id as varchar) from raw.app_mysql.accounts "
            "where cast(user_id as varchar) = ? union "
            "select public_id from raw.app_mysql.accounts where cast(user_id as varchar) = ?",
            [app_user_id, app_user_id],
        )
        ids["investment_id"] = _values(
            con,
            "select cast(id as varchar) from raw.app_mysql.investments "
            "where cast(user_id as varchar) = ? union "
            "select public_id from raw.app_mysql.investments where cast(user_id as varchar) = ?",
            [app_user_id, app_user_id],
        )
        # Segment devices: raw rows naming the user (public or legacy id),
        # and the devices the warehouse stitched to them
        anonymous = set()
        for table in seg_tables:
            anonymous |= _values(
                con,
                f"select anonymous_id from {table} where trim(user_id) in (?, ?)",
                [user_id, app_user_id],
            )
        anonymous |= _values(
            con,
            "select anonymous_id from main.int_identity__anonymous_user_pairs where user_id = ? "
            "union select anonymous_id from main.fct_sessions where user_id = ?",
            [user_id, user_id],
        )
        ids["anonymous_id"] = anonymous
        ids["session_id"] = _values(
            con,
            "select session_id from main.fct_sessions "
            "where user_id = ? or list_contains(?, anonymous_id)",
            [user_id, sorted(anonymous) or [""]],
        )
        for kind, values in ids.items():
            found += [Identifier(user_id, kind, v) for v in sorted(values) if v]
    return found


def _relations(con: duckdb.DuckDBPyConnection, prefixes: tuple[str, ...]) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'main' union "
        "select view_name from duckdb_views() where database_name = current_database() "
        "and schema_name = 'main' and not internal"
    ).fetchall()
    return sorted(r[0] for r in rows if r[0].startswith(prefixes) and r[0] != ERASURE_LIST)


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main' "
        "and table_name = ? order by column_index",
        [relation],
    ).fetchall()


def _is_text(data_type: str) -> bool:
    """Text, and nested types whose text form holds text (lists, structs, maps)."""
    return (
        data_type in ("VARCHAR", "JSON")
        or data_type.endswith("[]")
        or data_type.startswith(("STRUCT", "MAP", "UNION"))
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _alternation(values: set[str]) -> str:
    # longest first, so an email is reported rather than a shorter id inside it
    return "(" + "|".join(re.escape(v) for v in sorted(values, key=lambda v: (-len(v), v))) + ")"


@dataclass(frozen=True)
class Hit:
    relation: str
    column: str
    identifier: Identifier

    def __str__(self) -> str:
        i = self.identifier
        return f"{self.relation}.{self.column} -> {i.kind}:{i.value} ({i.person})"


def scan_identifiers(db: Path, raw: Path, identifiers: list[Identifier]) -> list[Hit]:
    """Every place (relation, column) outside staging where one of the
    identifiers is found."""
    textual = {i.value.lower() for i in identifiers if not i.is_numeric}
    by_value: dict[str, list[Identifier]] = {}
    for i in identifiers:
        by_value.setdefault(i.value.lower(), []).append(i)
    numeric_kinds: dict[str, set[str]] = {}
    for i in identifiers:
        if i.is_numeric:
            numeric_kinds.setdefault(i.kind, set()).add(i.value)
    pattern = "(?i)" + _alternation(textual) if textual else None
    hits: set[Hit] = set()
    con = _connect(db, raw)
    try:
        for relation in _relations(con, SCANNED_PREFIXES):
            branches: list[str] = []
            params: list = []
            for column, data_type in _columns(con, relation):
                value = f"cast({_quote(column)} as varchar)"
                if pattern and _is_text(data_type):
                    branches.append(
                        f"select '{column}' as col, regexp_extract({value}, ?, 1) as hit "
                        f"from main.{_quote(relation)} where regexp_matches({value}, ?)"
                    )
                    params += [pattern, pattern]
                wanted = sorted(
                    {
                        v
                        for kind, suffix in NUMERIC_COLUMN_SUFFIXES.items()
                        if column.lower().endswith(suffix)
                        for v in numeric_kinds.get(kind, set())
                    }
                )
                if wanted:
                    branches.append(
                        f"select '{column}' as col, {value} as hit from main.{_quote(relation)} "
                        f"where list_contains(?, {value})"
                    )
                    params.append(wanted)
            if not branches:
                continue
            sql = f"select distinct col, hit from ({' union all '.join(branches)}) as found"
            for column, hit in con.execute(sql, params).fetchall():
                for ident in by_value.get(str(hit).lower(), []):
                    if ident.is_numeric and not column.lower().endswith(
                        NUMERIC_COLUMN_SUFFIXES.get(ident.kind, "\0")
                    ):
                        continue
                    hits.add(Hit(relation, column, ident))
    finally:
        con.close()
    return sorted(hits, key=str)


def _report(hits: list[Hit]) -> str:
    return f"{len(hits)} identifiers of erased people remain:\n" + "\n".join(map(str, hits))


# --------------------------------------------------------------------------- fixtures


@dataclass
class PrivacyBuild:
    before: Path  # database built on the generator's raw data
    raw_before: Path
    after: Path  # the same after the subjects' erasure and an incremental run
    raw_after: Path
    generator_erased: list[Identifier]
    subjects: list[dict]
    subject_identifiers: list[Identifier]
    hits_before: list[Hit]  # every identifier (generator's and subjects') before
    hits_after: list[Hit]  # and after the subjects' erasure


def _pick_subjects(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The SUBJECT_COUNT customers with the most kinds of data: card
    deposits, investments, Help Scout conversations, Segment devices and a
    HubSpot contact (then the most devices and conversations)."""
    rows = con.execute(
        """
        with users as (
            select user_id, app_user_id, hubspot_contact_id, email_hash
            from main.stg_app_mysql__users
            where not is_erased and not is_internal and not _is_source_deleted
                and app_user_id not in (
                    select app_user_id from main.stg_app_mysql__erasure_requests
                )
        ),
        card as (
            select user_id, count(*) as n from main.fct_transactions
            where transaction_type = 'deposit' and external_provider = 'stripe'
            group by 1
        ),
        investments as (
            select app_user_id, count(*) as n from main.stg_app_mysql__investments group by 1
        ),
        conversations as (
            select emails.email_hash, count(distinct conversations.conversation_id) as n
            from main.stg_helpscout__conversations as conversations
            inner join main.stg_helpscout__customer_emails as emails
                on conversations.customer_id = emails.customer_id
            group by 1
        ),
        devices as (
            select user_id, count(distinct source_platform || anonymous_id) as n
            from main.int_identity__anonymous_user_pairs group by 1
        )
        select
            users.app_user_id,
            users.user_id,
            coalesce(card.n, 0) as card_deposit_count,
            coalesce(investments.n, 0) as investment_count,
            coalesce(conversations.n, 0) as conversation_count,
            coalesce(devices.n, 0) as device_count,
            users.hubspot_contact_id is not null as has_hubspot_contact
        from users
        left join card on users.user_id = card.user_id
        left join investments on users.app_user_id = investments.app_user_id
        left join conversations on users.email_hash = conversations.email_hash
        left join devices on users.user_id = devices.user_id
        order by
            (coalesce(card.n, 0) > 0)::int + (coalesce(investments.n, 0) > 0)::int
            + (coalesce(conversations.n, 0) > 0)::int + (coalesce(devices.n, 0) > 1)::int
            + (users.hubspot_contact_id is not null)::int desc,
            coalesce(devices.n, 0) desc, coalesce(conversations.n, 0) desc, users.user_id
        limit ?
        """,
        [SUBJECT_COUNT],
    ).fetchall()
    cols = [
        "app_user_id",
        "user_id",
        "card_deposits",
        "investments",
        "conversations",
        "devices",
        "has_hubspot_contact",
    ]
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _erase_in_raw(raw: Path, app_user_ids: list[str]) -> None:
    """What the app does on a completed full erasure (generator app_mysql
    users SQL): a completed request; email overwritten, names and date of
    birth nulled, marketing consent withdrawn; the row re-synced."""
    con = duckdb.connect(str(raw))
    try:
        con.execute("SET TimeZone = 'UTC'")
        (end_date,) = con.execute("select delivered_through from _generator.meta").fetchone()
        completed = dt.datetime.combine(end_date, dt.time(9, 0))
        for n, app_user_id in enumerate(app_user_ids):
            con.execute(
                """
                insert into app_mysql.erasure_requests
                    (id, user_id, scope, status, requested_at, completed_at,
                     _fivetran_synced, _fivetran_deleted)
                select coalesce(max(id), 0) + 1, ?, 'full', 'completed',
                    ?::timestamp - interval 2 day, ?::timestamp,
                    ?::timestamp + interval 5 minute, false
                from app_mysql.erasure_requests
                """,
                [int(app_user_id), completed, completed, completed],
            )
            con.execute(
                """
                update app_mysql.users set
                    email = 'erased+' || substr(md5('erased:' || id), 1, 16) || '@invalid',
                    first_name = null,
                    last_name = null,
                    date_of_birth = null,
                    marketing_opt_in = 0,
                    updated_at = ?::timestamp + interval (?) minute,
                    _fivetran_synced = ?::timestamp + interval (?) minute
                where id = ?
                """,
                [completed, n, completed, n + 5, int(app_user_id)],
            )
    finally:
        con.close()


@pytest.fixture(scope="module")
def privacy(tmp_path_factory: pytest.TempPathFactory, raw_tiny: Path) -> PrivacyBuild:
    base = tmp_path_factory.mktemp("privacy")
    raw_before = base / "raw_before.duckdb"
    shutil.copyfile(raw_tiny, raw_before)
    wh = Warehouse(base)
    wh.use(raw_before)
    wh.dbt("build", "--resource-type", "model", "--resource-type", "seed")
    before = wh.save("before")

    con = _connect(before, raw_before)
    try:
        erased = [
            r[0]
            for r in con.execute(
                "select app_user_id from main.stg_app_mysql__erasure_requests "
                "where is_completed and is_full_erasure order by 1"
            ).fetchall()
        ]
        generator_erased = collect_identifiers(con, erased)
        subjects = _pick_subjects(con)
        subject_identifiers = collect_identifiers(con, [s["app_user_id"] for s in subjects])
    finally:
        con.close()

    _erase_in_raw(wh.raw, [s["app_user_id"] for s in subjects])
    raw_after = base / "raw_after.duckdb"
    shutil.copyfile(wh.raw, raw_after)
    # the incremental run: views read raw live, so only the tables and
    # incremental models need to run (what a full `dbt run` changes)
    wh.dbt("run", "--select", "config.materialized:table", "config.materialized:incremental")
    after = wh.save("after")
    everyone = generator_erased + subject_identifiers
    return PrivacyBuild(
        before,
        raw_before,
        after,
        raw_after,
        generator_erased,
        subjects,
        subject_identifiers,
        scan_identifiers(before, raw_before, everyone),
        scan_identifiers(after, raw_after, everyone),
    )


# --------------------------------------------------------------------------- erasure


def _kinds(identifiers: list[Identifier]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in identifiers:
        counts[i.kind] = counts.get(i.kind, 0) + 1
    return counts


def test_subjects_have_data_in_every_system(privacy: PrivacyBuild) -> None:
    assert len(privacy.subjects) == SUBJECT_COUNT
    best = privacy.subjects[0]
    assert best["card_deposits"] and best["investments"] and best["conversations"], best
    assert best["devices"] > 1 and best["has_hubspot_contact"], best
    kinds = _kinds(privacy.subject_identifiers)
    for kind in (
        "user_id",
        "app_user_id",
        "user_key",
        "email",
        "email_hash",
        "anonymous_id",
        "session_id",
        "stripe_customer_id",
        "charge_id",
        "payment_intent_id",
        "hubspot_contact_id",
        "helpscout_customer_id",
        "helpscout_conversation_id",
        "account_id",
        "investment_id",
    ):
        assert kinds.get(kind), f"no {kind} collected for the subjects: {kinds}"


def test_subjects_are_visible_before_erasure(privacy: PrivacyBuild) -> None:
    """The scan finds the subjects while they are not erased (it can fail)."""
    subjects = {s["user_id"] for s in privacy.subjects}
    seen = {h.identifier.kind for h in privacy.hits_before if h.identifier.person in subjects}
    assert seen >= KINDS_SEEN_BEFORE_ERASURE, f"kinds not found before erasure: {seen}"


def test_generator_erasures_leave_nothing(privacy: PrivacyBuild) -> None:
    erased = {i.person for i in privacy.generator_erased}
    assert erased, "the tiny data should hold completed erasures"
    hits = [h for h in privacy.hits_before if h.identifier.person in erased]
    assert not hits, _report(hits)


def test_erased_subjects_leave_nothing_after_incremental_run(privacy: PrivacyBuild) -> None:
    assert not privacy.hits_after, _report(privacy.hits_after)


# --------------------------------------------------------------------------- PII


def _pii_values(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Names and phone numbers of real people in the raw data (lower case)."""
    names = con.execute(
        "select first_name, last_name from main.stg_app_mysql__users "
        "union all select first_name, last_name from main.stg_helpscout__customers"
    ).fetchall()
    full = {f"{f} {s}".strip().lower() for f, s in names if f and s}
    surnames = {s.strip().lower() for _, s in names if s and len(s.strip()) >= 3}
    phones = _values(
        con,
        "select value from raw.helpscout.customers__phones "
        "union select property_phone from raw.hubspot.contact "
        "union select property_mobilephone from raw.hubspot.contact",
        [],
    )
    return {"full_name": full, "surname": surnames, "phone": {p.strip() for p in phones}}


def _known(kind: str, value: str) -> str:
    return f"lower(trim({value})) in (select known from known_pii where kind = '{kind}')"


def scan_pii(db: Path, raw: Path) -> list[str]:
    hits: list[str] = []
    con = _connect(db, raw)
    try:
        known = _pii_values(con)
        # known values compared by equality (lower-cased, trimmed)
        con.execute("create temp table known_pii (kind varchar, known varchar)")
        con.executemany(
            "insert into known_pii values (?, ?)",
            [[kind, v.lower()] for kind, values in known.items() for v in sorted(values)],
        )
        for relation in _relations(con, MART_PREFIXES):
            if relation == PII_MART:
                continue
            # one pass per relation: the first offending value per column x kind
            labels: list[str] = []
            selects: list[str] = []
            params: list = []
            for column, data_type in _columns(con, relation):
                if not _is_text(data_type):
                    continue
                value = f"cast({_quote(column)} as varchar)"
                digits = f"length(regexp_replace({value}, '[^0-9]', '', 'g'))"
                checks = {
                    "email": (f"regexp_matches({value}, ?)", [EMAIL_RE]),
                    "phone": (
                        f"(regexp_matches({value}, ?) and {digits} between 10 and 15)"
                        f" or {_known('phone', value)}",
                        [PHONE_RE],
                    ),
                    "ipv4": (f"regexp_matches({value}, ?)", [IPV4_RE]),
                    "ipv6": (f"regexp_matches({value}, ?)", [IPV6_RE]),
                    "full_name": (_known("full_name", value), []),
                    "surname": (_known("surname", value), []),
                }
                for kind, (predicate, args) in checks.items():
                    labels.append(f"{relation}.{column}: {kind}")
                    selects.append(f"min(case when {predicate} then {value} end)")
                    params += args
            if not selects:
                continue
            row = con.execute(
                f"select {', '.join(selects)} from main.{_quote(relation)}", params
            ).fetchone()
            hits += [f"{label} e.g. {v!r}" for label, v in zip(labels, row, strict=True) if v]
    finally:
        con.close()
    return hits


def test_marts_hold_no_personal_data(privacy: PrivacyBuild) -> None:
    hits = scan_pii(privacy.before, privacy.raw_before)
    assert not hits, "personal data in marts:\n" + "\n".join(hits)

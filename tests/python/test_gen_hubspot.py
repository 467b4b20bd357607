"""Tests of the HubSpot raw tables (generator module ``sources/hubspot.py``) on the tiny raw DB."""

from __future__ import annotations

import re

import pytest

from finstack.generator.config import DEFECTS
from finstack.generator.sources import hubspot
from finstack.generator.tables import REGISTRY

HS_TABLES = [t for t in REGISTRY.values() if t.schema == "hubspot"]
CUTOFF = "TIMESTAMPTZ '2026-07-01 00:00:00+00'"  # conftest: end date 2026-06-30


def one(con, sql):
    return con.execute(sql).fetchone()[0]


def within(key: str, measured: float) -> bool:
    d = DEFECTS[key]
    return abs(measured - d.rate) <= d.tolerance * d.rate


def has_table(con, schema: str, name: str) -> bool:
    return (
        one(
            con,
            "SELECT count(*) FROM information_schema.tables "
            f"WHERE table_schema = '{schema}' AND table_name = '{name}'",
        )
        > 0
    )


def test_required_tables_declared():
    names = {t.name for t in HS_TABLES}
    required = {
        "contact",
        "contact_property_history",
        "company",
        "deal",
        "deal_pipeline",
        "deal_pipeline_stage",
        "deal_stage",
        "deal_contact",
        "deal_company",
        "merged_deal",
        "owner",
        "engagement",
        "engagement_contact",
        "engagement_deal",
        "engagement_email",
        "engagement_note",
        "engagement_call",
        "engagement_meeting",
        "engagement_task",
        "email_campaign",
        "email_event",
        "email_event_sent",
        "email_event_delivered",
        "email_event_open",
        "email_event_click",
        "email_event_bounce",
        "email_event_status_change",
        "contact_list",
        "contact_list_member",
        "form",
        "contact_form_submission",
    }
    assert required <= names


@pytest.mark.parametrize("table", HS_TABLES, ids=lambda t: t.name)
def test_table_and_columns_present(raw_con, table):
    got = raw_con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'hubspot' AND table_name = ?",
        [table.name],
    ).fetchall()
    got = dict(got)
    for c in table.landed_columns:
        assert c.name in got, f"{table.fqn} lacks {c.name}"
        want = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}.get(c.duckdb_type, c.duckdb_type)
        assert got[c.name] == want, f"{table.fqn}.{c.name}: {got[c.name]} != {want}"
    assert "_fivetran_synced" in got
    assert "from" in {c.name for c in REGISTRY["hubspot.email_event_sent"].columns}


@pytest.mark.parametrize("table", [t for t in HS_TABLES if t.keys], ids=lambda t: t.name)
def test_keys_unique_and_tables_filled(raw_con, table):
    keys = ", ".join(f'"{k}"' for k in table.keys)
    n = one(raw_con, f"SELECT count(*) FROM {table.fqn}")
    assert n > 0, f"{table.fqn} is empty"
    dup = one(
        raw_con,
        f"SELECT count(*) FROM (SELECT {keys} FROM {table.fqn} GROUP BY ALL HAVING count(*) > 1)",
    )
    assert dup == 0


def test_no_row_arrives_after_cutoff(raw_con):
    for t in HS_TABLES:
        late = one(raw_con, f"SELECT count(*) FROM {t.fqn} WHERE _fivetran_synced >= {CUTOFF}")
        assert late == 0, t.fqn


def test_contact_ids_and_app_user_ids(raw_con):
    rows = raw_con.execute("""
        SELECT count(*), count(*) FILTER (WHERE c.property_app_user_id = u.public_id)
        FROM hubspot.contact c JOIN _world.users u ON c.id = 1000000 + u.app_user_id""").fetchone()
    assert rows[0] > 500 and rows[0] == rows[1]
    # every app user who signed up more than a day before the cut-off has a contact
    missing = one(
        raw_con,
        f"""
        SELECT count(*) FROM _world.users u
        WHERE u.signup_us < epoch_us({CUTOFF}) - 86400000000
          AND NOT EXISTS (SELECT 1 FROM hubspot.contact c WHERE c.id = 1000000 + u.app_user_id)""",
    )
    assert missing == 0


def test_email_variants_follow_the_world(raw_con):
    rows = raw_con.execute("""
        SELECT u.email_variant, u.email, c.property_email
        FROM hubspot.contact c JOIN _world.users u ON c.id = 1000000 + u.app_user_id""").fetchall()
    variants = {0: 0, 1: 0, 2: 0}
    for v, canon, hs in rows:
        variants[v] += 1
        if v == 0:
            assert hs == canon
        elif v == 1:
            assert hs == canon.upper()
        else:
            assert hs != canon and hs.strip() == canon
    assert variants[1] > 0 and variants[2] > 0


def test_merged_contacts(raw_con):
    surv = raw_con.execute("""
        SELECT id, property_hs_merged_object_ids, property_hs_calculated_merged_vids
        FROM hubspot.contact WHERE property_hs_merged_object_ids IS NOT NULL""").fetchall()
    assert len(surv) >= 5
    ids = {r[0] for r in raw_con.execute("SELECT id FROM hubspot.contact").fetchall()}
    for sid, merged, vids in surv:
        assert re.fullmatch(r"\d+(;\d+)*", merged)
        assert re.fullmatch(r"\d+:\d{13}(;\d+:\d{13})*", vids)
        losers = [int(x) for x in merged.split(";")]
        assert losers[0] == sid + 4_000_000  # 5000000 + app_user_id
        assert all(lo in ids for lo in losers)
        assert [int(v.split(":")[0]) for v in vids.split(";")] == losers
    assert any(";" in r[1] for r in surv)
    # loser rows remain, some flagged deleted and some not
    flags = dict(
        raw_con.execute("""
        SELECT _fivetran_deleted, count(*) FROM hubspot.contact
        WHERE id BETWEEN 5000000 AND 5999999 GROUP BY 1""").fetchall()
    )
    assert flags.get(True, 0) > 0 and flags.get(False, 0) > 0
    n_app = one(
        raw_con, "SELECT count(*) FROM hubspot.contact WHERE id BETWEEN 1000000 AND 1999999"
    )
    n_loser = one(
        raw_con, "SELECT count(*) FROM hubspot.contact WHERE id BETWEEN 5000000 AND 5999999"
    )
    assert within("hubspot_merged_contacts", n_loser / n_app)


def test_mysql_points_at_existing_contacts(raw_con):
    if not has_table(raw_con, "app_mysql", "users"):
        pytest.skip("app_mysql.users not generated")
    missing = one(
        raw_con,
        f"""
        SELECT count(*) FROM app_mysql.users u
        WHERE u.hubspot_contact_id IS NOT NULL
          AND u.created_at < CAST({CUTOFF} AS TIMESTAMP) - INTERVAL 2 DAY
          AND NOT EXISTS (SELECT 1 FROM hubspot.contact c WHERE c.id = u.hubspot_contact_id)""",
    )
    assert missing == 0


def test_duplicate_emails(raw_con):
    pairs = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.contact a JOIN hubspot.contact b
          ON lower(trim(a.property_email)) = lower(trim(b.property_email)) AND a.id < b.id
        WHERE NOT a._fivetran_deleted AND NOT b._fivetran_deleted
          AND a.property_email <> b.property_email AND b.id BETWEEN 2000000 AND 2999999""",
    )
    n_app = one(
        raw_con, "SELECT count(*) FROM hubspot.contact WHERE id BETWEEN 1000000 AND 1999999"
    )
    assert pairs >= 5
    assert within("hubspot_duplicate_emails", pairs / n_app)


def test_property_history(raw_con):
    counts = raw_con.execute("""
        SELECT min(k), max(k) FROM (SELECT contact_id, name, count(*) k
        FROM hubspot.contact_property_history GROUP BY ALL)""").fetchone()
    assert counts == (1, 20)
    ties = one(
        raw_con,
        """
        SELECT count(*) FROM (SELECT contact_id, timestamp FROM hubspot.contact_property_history
        WHERE name = 'lifecyclestage' GROUP BY ALL HAVING count(*) > 1)""",
    )
    n_app = one(
        raw_con, "SELECT count(*) FROM hubspot.contact WHERE id BETWEEN 1000000 AND 1999999"
    )
    assert ties >= 5
    rank = (
        "CASE value WHEN 'subscriber' THEN 0 WHEN 'lead' THEN 1 WHEN 'marketingqualifiedlead' "
        "THEN 2 WHEN 'opportunity' THEN 3 WHEN 'customer' THEN 4 END"
    )
    regressions = one(
        raw_con,
        f"""
        SELECT count(DISTINCT contact_id) FROM (
            SELECT contact_id, {rank} AS r,
                   lag({rank}) OVER (PARTITION BY contact_id ORDER BY timestamp, {rank}) AS prev
            FROM hubspot.contact_property_history WHERE name = 'lifecyclestage')
        WHERE r < prev""",
    )
    assert regressions >= 5
    assert within("hubspot_lifecycle_regression", regressions / n_app)
    # the contact shows the latest version (contacts without a tie on the latest timestamp)
    mismatch = one(
        raw_con,
        """
        WITH h AS (SELECT contact_id, value, timestamp,
                          count(*) OVER (PARTITION BY contact_id, timestamp) AS n_at,
                          row_number() OVER (PARTITION BY contact_id ORDER BY timestamp DESC) AS rn
                   FROM hubspot.contact_property_history WHERE name = 'lifecyclestage')
        SELECT count(*) FROM h JOIN hubspot.contact c ON c.id = h.contact_id
        WHERE h.rn = 1 AND h.n_at = 1 AND h.value <> c.property_lifecyclestage""",
    )
    assert mismatch == 0


def test_lifecycle_follows_the_world(raw_con):
    rows = raw_con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE c.property_lifecyclestage = 'customer')
        FROM hubspot.contact c JOIN _world.users u ON c.id = 1000000 + u.app_user_id
        WHERE u.first_deposit_us >= 0 AND u.first_deposit_us < epoch_us({CUTOFF}) - 86400000000
    """).fetchone()
    assert rows[0] > 100 and rows[1] / rows[0] > 0.9
    never = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.contact c JOIN _world.users u ON c.id = 1000000 + u.app_user_id
        WHERE u.kyc_approved_us < 0 AND c.property_lifecyclestage = 'customer'""",
    )
    assert never == 0


def test_date_only_properties_at_midnight_utc(raw_con):
    for col in (
        "property_kyc_approved_date",
        "property_first_deposit_date",
        "property_date_of_birth",
    ):
        n, off = raw_con.execute(f"""
            SELECT count({col}), count(*) FILTER (WHERE {col} <> date_trunc('day', {col}))
            FROM hubspot.contact""").fetchone()
        assert n > 0 and off == 0, col
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.contact c JOIN _world.users u ON c.id = 1000000 + u.app_user_id
        WHERE CAST(c.property_kyc_approved_date AS DATE) <> CAST(make_timestamp(u.kyc_approved_us) AS DATE)""",
    )
    assert bad == 0


def test_new_custom_property_appears_mid_history(raw_con):
    lo, hi = raw_con.execute("""
        SELECT min(timestamp), (SELECT min(timestamp) FROM hubspot.contact_property_history)
        FROM hubspot.contact_property_history WHERE name = 'risk_appetite'""").fetchone()
    assert lo is not None and (lo - hi).days >= 20
    assert one(raw_con, "SELECT count(property_risk_appetite) FROM hubspot.contact") > 0
    # a contact whose last change predates the property has no value
    assert (
        one(
            raw_con,
            f"""SELECT count(*) FROM hubspot.contact
        WHERE property_lastmodifieddate < TIMESTAMPTZ '{lo}' AND property_risk_appetite IS NOT NULL
    """,
        )
        == 0
    )


def test_columns_with_odd_names_and_fillers():
    names = [c.name for c in REGISTRY["hubspot.contact"].columns]
    assert any(n.startswith("property_hs_all-funky-") for n in names)
    fillers = [n for n in names if n.startswith("property_")]
    assert len(fillers) >= 40


def test_email_campaign_world_frame(raw_con):
    frame = raw_con.execute("""
        SELECT email_campaign_idx, campaign_id, name, utm_campaign, first_send_us
        FROM _world.hs_email_campaigns""").fetchall()
    assert len(frame) >= 8
    for _, _, _, utm, first in frame:
        assert re.fullmatch(r"[a-z0-9_]+", utm)
        assert first > 0
    ids = {r[1] for r in frame}
    raw_ids = {r[0] for r in raw_con.execute("SELECT id FROM hubspot.email_campaign").fetchall()}
    assert raw_ids <= ids and len(raw_ids) >= 8
    # click links carry the campaign's utm_campaign and a _hsenc parameter
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.email_event_click k
        JOIN hubspot.email_event e USING (id)
        JOIN _world.hs_email_campaigns c ON c.campaign_id = e.email_campaign_id
        WHERE k.url NOT LIKE '%utm_source=hubspot&utm_medium=email&utm_campaign='
                              || c.utm_campaign || '&%'
           OR k.url NOT LIKE '%&_hsenc=%'""",
    )
    assert bad == 0


def test_email_event_structure(raw_con):
    # every event belongs to a send whose SENT event exists, recipient = the contact's email
    orphans = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.email_event e
        WHERE NOT EXISTS (SELECT 1 FROM hubspot.email_event s
                          WHERE s.id = e.sent_by_id AND s.type = 'SENT')
          AND e.created < (SELECT max(created) FROM hubspot.email_event) - INTERVAL 1 DAY""",
    )
    assert orphans == 0
    children = {t.name: t for t in HS_TABLES if t.name.startswith("email_event_")}
    for name in children:
        bad = one(
            raw_con,
            f"""SELECT count(*) FROM hubspot.{name} c
                               WHERE NOT EXISTS (SELECT 1 FROM hubspot.email_event e
                                                 WHERE e.id = c.id)""",
        )
        assert bad == 0, name
    # bounces are followed by a status change they caused
    b = raw_con.execute(f"""
        SELECT count(*), count(s.id) FROM hubspot.email_event b
        LEFT JOIN hubspot.email_event s ON s.caused_by_id = b.id AND s.type = 'STATUSCHANGE'
                                       AND s.created > b.created
        WHERE b.type = 'BOUNCE' AND b.created < {CUTOFF} - INTERVAL 1 DAY""").fetchone()
    assert b[0] >= 5 and b[0] == b[1]
    assert (
        one(
            raw_con,
            """SELECT count(*) FROM hubspot.email_event_status_change
                           WHERE bounced""",
        )
        >= 5
    )
    # obsoleted_by chains: DEFERRED -> (DEFERRED ->) DELIVERED
    chains = raw_con.execute(f"""
        SELECT count(*), count(n.id), count(*) FILTER (WHERE n.type = 'DEFERRED')
        FROM hubspot.email_event d LEFT JOIN hubspot.email_event n ON n.id = d.obsoleted_by_id
        WHERE d.obsoleted_by_id IS NOT NULL AND d.created < {CUTOFF} - INTERVAL 1 DAY""").fetchone()
    assert chains[0] >= 5 and chains[0] == chains[1] and chains[2] > 0
    # recipients are the contacts' addresses
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.email_event e
        WHERE NOT EXISTS (SELECT 1 FROM hubspot.contact c
                          WHERE trim(c.property_email) = e.recipient)""",
    )
    assert bad == 0


def test_machine_opens_and_bot_clicks(raw_con):
    total, machine = raw_con.execute("""
        SELECT count(*), count(*) FILTER (WHERE o.created - d.created <= INTERVAL 2 SECOND)
        FROM hubspot.email_event o
        JOIN hubspot.email_event d ON d.sent_by_id = o.sent_by_id AND d.type = 'DELIVERED'
        WHERE o.type = 'OPEN'""").fetchone()
    assert total > 100
    assert within("hubspot_machine_opens", machine / total)
    proxies = one(
        raw_con,
        """SELECT count(*) FROM hubspot.email_event_open
                              WHERE user_agent LIKE '%GoogleImageProxy%'""",
    )
    assert proxies > 0
    # bot clicks: filtered, seconds after delivery, on every link of the email
    bots = raw_con.execute("""
        SELECT e.sent_by_id, count(DISTINCT k.url)
        FROM hubspot.email_event e JOIN hubspot.email_event_click k USING (id)
        WHERE e.filtered_event GROUP BY 1""").fetchall()
    assert len(bots) >= 5
    assert all(n == len(hubspot.LINK_PATHS) for _, n in bots)
    delivered = one(raw_con, "SELECT count(*) FROM hubspot.email_event WHERE type = 'DELIVERED'")
    assert within("hubspot_bot_clicks", len(bots) / delivered)


def test_email_volume_is_proportional(raw_con):
    per_month = one(
        raw_con,
        """
        SELECT max(n) FROM (SELECT recipient, date_trunc('month', created) m, count(*) n
                            FROM hubspot.email_event WHERE type = 'SENT' GROUP BY ALL)""",
    )
    assert per_month <= 8
    # opted-out app users receive nothing
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.email_event e
        JOIN _world.hs_contacts c ON trim(c.email) = e.recipient AND c.kind = 0
        JOIN _world.users u USING (app_user_id)
        WHERE NOT u.marketing_opt_in""",
    )
    assert bad == 0


def test_no_sends_after_unsubscribe(raw_con):
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.email_event s
        JOIN (SELECT recipient, min(created) t FROM hubspot.email_event
              WHERE type = 'STATUSCHANGE' GROUP BY 1) u USING (recipient)
        WHERE s.type = 'SENT' AND s.created > u.t""",
    )
    assert bad == 0


def test_erased_contacts_deleted(raw_con):
    if not has_table(raw_con, "_world", "app_erasures"):
        pytest.skip("app module provides no erasures")
    rows = raw_con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE c._fivetran_deleted)
        FROM _world.app_erasures e JOIN hubspot.contact c ON c.id = 1000000 + e.app_user_id
        WHERE e.completed_us >= 0 AND e.completed_us < epoch_us({CUTOFF}) - 3 * 86400000000
    """).fetchone()
    assert rows[0] == rows[1]


def test_deals(raw_con):
    # a deal per HNW / sophisticated user, on their contact
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.deal_contact dc
        JOIN _world.users u ON dc.contact_id = 1000000 + u.app_user_id
        WHERE u.investor_category = 0""",
    )
    assert bad == 0
    n = one(raw_con, "SELECT count(*) FROM hubspot.deal")
    assert n > 50
    deleted = one(raw_con, "SELECT count(*) FROM hubspot.deal WHERE is_deleted")
    assert deleted >= 5
    assert one(raw_con, "SELECT count(*) FROM hubspot.merged_deal") >= 5
    assert one(raw_con, "SELECT count(*) FROM hubspot.company WHERE is_deleted") >= 5
    # one active stage version per deal, equal to the deal's stage
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.deal d
        LEFT JOIN hubspot.deal_stage s ON s.deal_id = d.deal_id AND s._fivetran_active
        WHERE s.value IS DISTINCT FROM d.deal_pipeline_stage_id""",
    )
    assert bad == 0
    stages = {
        r[0] for r in raw_con.execute("SELECT stage_id FROM hubspot.deal_pipeline_stage").fetchall()
    }
    assert {
        r[0] for r in raw_con.execute("SELECT DISTINCT value FROM hubspot.deal_stage").fetchall()
    } <= stages
    # funded deals follow a first deposit in the app
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.deal d JOIN hubspot.deal_contact dc USING (deal_id)
        JOIN _world.users u ON dc.contact_id = 1000000 + u.app_user_id
        WHERE d.deal_pipeline_stage_id = '9876547'
          AND (u.first_deposit_us < 0 OR make_timestamp(u.first_deposit_us)::TIMESTAMPTZ > d.property_closedate)""",
    )
    assert bad == 0


def test_engagements_link_to_contacts_and_deals(raw_con):
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.engagement_contact ec
        WHERE NOT EXISTS (SELECT 1 FROM hubspot.contact c WHERE c.id = ec.contact_id)""",
    )
    assert bad == 0
    by_type = dict(
        raw_con.execute("SELECT type, count(*) FROM hubspot.engagement GROUP BY 1").fetchall()
    )
    for typ, (suffix, _, _) in hubspot.ENGAGEMENT_DETAILS.items():
        assert by_type.get(typ, 0) == one(
            raw_con, f"SELECT count(*) FROM hubspot.engagement_{suffix}"
        )
    owners = {r[0] for r in raw_con.execute("SELECT owner_id FROM hubspot.owner").fetchall()}
    assert len(owners) == 6
    assert {
        r[0] for r in raw_con.execute("SELECT DISTINCT owner_id FROM hubspot.deal").fetchall()
    } <= owners


def test_lists_and_forms(raw_con):
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.contact_list_member m
        WHERE NOT EXISTS (SELECT 1 FROM hubspot.contact_list l WHERE l.id = m.contact_list_id)""",
    )
    assert bad == 0
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM hubspot.contact_form_submission s
        WHERE NOT EXISTS (SELECT 1 FROM hubspot.form f WHERE f.guid = s.form_id)""",
    )
    assert bad == 0
    # every lead (visitor who never signed up) came in through a form
    leads = one(raw_con, "SELECT count(*) FROM hubspot.contact WHERE id >= 10000000")
    via_form = one(
        raw_con,
        """SELECT count(DISTINCT contact_id) FROM hubspot.contact_form_submission
                               WHERE contact_id >= 10000000""",
    )
    assert leads > 20 and via_form >= 0.9 * leads

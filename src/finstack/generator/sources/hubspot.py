"""HubSpot (Fivetran HubSpot connector): CRM contacts, deals, engagements and email marketing.

World frames (all prefixed ``hs_``):
- ``hs_contacts``: one row per contact: app users (vid ``1000000 + app_user_id``), merged-away
  losers (``5000000 + app_user_id``, a few with a second loser ``8000000 + app_user_id``),
  duplicate-email contacts (``2000000 + app_user_id``) and leads made up for visitors who
  never sign up (``10000000 + person_idx``).
- ``hs_contact_history``: every property version (``contact_property_history``); the wide
  ``contact`` table is the pivot of the versions that arrived before the cut-off, so both
  tables always agree.
- ``hs_email_campaigns`` (read by Segment: ``email_campaign_idx``, ``campaign_id``, ``name``,
  ``utm_campaign``, ``first_send_us``), ``hs_email_sends``, ``hs_email_events``.
- deals (``hs_deals``, ``hs_deal_stages``, ``hs_companies``, ``hs_merged_deals``), owners,
  engagements, contact lists and form submissions.

Times are int64 microseconds (UTC); ``-1`` means never. ``arr_us`` is when Fivetran landed a
row (``_fivetran_synced``): a few minutes to an hour after the change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from finstack.generator.config import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Defect,
    defect_count,
    register_defects,
)
from finstack.generator.tables import Column, RawTable, cols, register
from finstack.generator.world import CH, CHANNELS, NEVER, World

PORTAL_ID = 5551234
SCHEMA = "hubspot"
CUT = "epoch_us({cutoff})"  # the delivery cut-off in microseconds, inside table SQL

register_defects(
    Defect(
        "hubspot_merged_contacts",
        "hubspot",
        "loser contact merged into a survivor (listed in hs_merged_object_ids); loser row "
        "kept with _fivetran_deleted true or false",
        0.03,
        "app-user contacts",
    ),
    Defect(
        "hubspot_duplicate_emails",
        "hubspot",
        "two live contacts share an email in different case",
        0.01,
        "app-user contacts",
    ),
    Defect(
        "hubspot_lifecycle_regression",
        "hubspot",
        "lifecycle stage set back to an earlier stage in contact_property_history",
        0.04,
        "app-user contacts",
    ),
    Defect(
        "hubspot_same_timestamp_versions",
        "hubspot",
        "two lifecycle stage versions with the same timestamp",
        0.03,
        "app-user contacts",
    ),
    Defect(
        "hubspot_machine_opens",
        "hubspot",
        "machine opens (within 2 s of delivery, proxy user agents)",
        0.30,
        "opens",
    ),
    Defect(
        "hubspot_bot_clicks",
        "hubspot",
        "link scanners clicking every link within seconds of delivery (filtered_event)",
        0.02,
        "delivered emails",
    ),
    Defect(
        "hubspot_deferred_chains",
        "hubspot",
        "DEFERRED events obsoleted by a later DEFERRED/DELIVERED (obsoleted_by_id chains)",
        0.03,
        "processed emails",
    ),
    Defect(
        "hubspot_bounces",
        "hubspot",
        "BOUNCE followed by a STATUSCHANGE (bounced = true) caused by it",
        0.02,
        "processed emails",
    ),
    Defect(
        "hubspot_deleted_deals",
        "hubspot",
        "deals with is_deleted / _fivetran_deleted",
        0.01,
        "deals",
    ),
    Defect(
        "hubspot_deleted_companies",
        "hubspot",
        "companies with is_deleted / _fivetran_deleted",
        0.01,
        "companies",
    ),
    Defect(
        "hubspot_merged_deals",
        "hubspot",
        "duplicate deals merged into another (merged_deal)",
        0.01,
        "deals",
    ),
)

# acquisition channel code -> (hs_analytics_source, source_data_1, referrer)
SOURCE_OF_CHANNEL = {
    "paid_search": ("PAID_SEARCH", "google", "https://www.google.com/"),
    "paid_social_facebook": ("PAID_SOCIAL", "Facebook", "https://l.facebook.com/"),
    "paid_social_linkedin": ("PAID_SOCIAL", "LinkedIn", "https://www.linkedin.com/"),
    "display": ("OTHER_CAMPAIGNS", "google display", "https://googleads.g.doubleclick.net/"),
    "affiliate": ("OTHER_CAMPAIGNS", "affiliate", "https://www.moneysavingexpert.com/"),
    "referral_programme": ("REFERRALS", "finstack.co.uk", "https://www.finstack.co.uk/r/"),
    "email": ("EMAIL_MARKETING", "hubspot", ""),
    "organic_social": ("SOCIAL_MEDIA", "Twitter", "https://t.co/"),
    "organic_search": ("ORGANIC_SEARCH", "google", "https://www.google.com/"),
    "referral": ("REFERRALS", "reddit.com", "https://www.reddit.com/r/UKPersonalFinance/"),
    "direct": ("DIRECT_TRAFFIC", "", ""),
}
INVESTOR_CATEGORIES = np.array(["restricted", "high_net_worth", "sophisticated"], dtype=object)
LIFECYCLE = ["subscriber", "lead", "marketingqualifiedlead", "opportunity", "customer"]
LEAD_STATUS = np.array(
    [
        "NEW",
        "OPEN",
        "IN_PROGRESS",
        "ATTEMPTED_TO_CONTACT",
        "CONNECTED",
        "OPEN_DEAL",
        "BAD_TIMING",
        "UNQUALIFIED",
    ],
    dtype=object,
)
FIRST_NAMES = np.array(
    [
        "Emma",
        "James",
        "Sophie",
        "Daniel",
        "Chloe",
        "Ben",
        "Hannah",
        "Sam",
        "Laura",
        "Tom",
        "Megan",
        "Luke",
        "Anya",
        "Raj",
        "Ella",
        "Finn",
    ],
    dtype=object,
)
LAST_NAMES = np.array(
    [
        "Clarke",
        "Hughes",
        "Edwards",
        "Turner",
        "Hill",
        "Cooper",
        "Ward",
        "Morris",
        "King",
        "Baker",
        "Shah",
        "Kelly",
        "Byrne",
        "Kowalski",
    ],
    dtype=object,
)
DOMAINS = np.array(
    ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.co.uk"], dtype=object
)
OWNERS = [  # owner_id, first, last, role
    (31000001, "Hannah", "Whitfield", "sales"),
    (31000002, "Marcus", "Okafor", "sales"),
    (31000003, "Priya", "Raman", "sales"),
    (31000004, "Jonas", "Berg", "sales"),
    (31000005, "Ellie", "Marsh", "customer_success"),
    (31000006, "Tariq", "Aziz", "customer_success"),
]
N_SALES = 4
BATCH_THEMES = [
    "Monthly returns report",
    "ISA season",
    "New lending pool",
    "Fixed note launch",
    "Refer a friend",
    "Product update",
    "Market outlook",
    "Spring promo",
]
AUTOMATED = [  # name, utm slug, subject
    ("Welcome series 1", "welcome_series_1", "Welcome to Finstack"),
    ("KYC reminder", "kyc_reminder", "Finish verifying your identity"),
    ("First deposit nudge", "first_deposit_nudge", "Your account is ready: add money"),
]
LINK_PATHS = ["/invest", "/products/lending-pool-a", "/products/fixed-note-12m"]
FORMS = [  # idx, name, page path
    (0, "Newsletter sign-up", "/blog/how-p2p-lending-works"),
    (1, "Contact us", "/help"),
    (2, "Premium callback request", "/invest"),
    (3, "Webinar registration", "/blog/isa-allowance-explained"),
]
LISTS = [  # list id, name
    (11, "Newsletter subscribers"),
    (12, "App users"),
    (13, "Premium prospects (HNW)"),
    (14, "Unsubscribed or bounced"),
    (15, "KYC reminder recipients"),
    (16, "Webinar attendees - ISA season"),
]
# Premium onboarding pipeline: stage id, label, probability
PIPELINE_ID = "9876543"
PREMIUM_STAGES = [
    ("9876544", "New", 0.1),
    ("9876545", "Intro call booked", 0.2),
    ("9876546", "KYC approved", 0.5),
    ("9876547", "Funded", 1.0),
    ("9876548", "Closed lost", 0.0),
]
DEFAULT_STAGES = [
    ("appointmentscheduled", "Appointment scheduled", 0.2),
    ("qualifiedtobuy", "Qualified to buy", 0.4),
    ("presentationscheduled", "Presentation scheduled", 0.6),
    ("decisionmakerboughtin", "Decision maker bought-in", 0.8),
    ("contractsent", "Contract sent", 0.9),
    ("closedwon", "Closed won", 1.0),
    ("closedlost", "Closed lost", 0.0),
]
ENGAGEMENT_TYPES = ["CALL", "EMAIL", "MEETING", "NOTE", "TASK"]


def _lag(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fivetran's sync lag: 5 to 65 minutes after the change."""
    return rng.integers(5 * US_PER_MINUTE, 65 * US_PER_MINUTE, size=n)


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
# byte -> its two hex digits, as one uint16 (little-endian: first digit in the low byte)
_HEX2 = np.stack([_HEX[np.arange(256) >> 4], _HEX[np.arange(256) & 15]], axis=1).copy()
_HEX2 = _HEX2.view(np.uint16).ravel()


def _uuids(rng: np.random.Generator, n: int) -> pa.StringArray:
    """Random version-4-style UUID strings, built as one Arrow buffer (millions of email
    events: formatting them in SQL with md5 per row would dominate the delivery time)."""
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16)
    hx = _HEX2[raw].view(np.uint8).reshape(n, 32)
    hx[:, 12] = ord("4")
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    out = np.concatenate(
        [hx[:, :8], dash, hx[:, 8:12], dash, hx[:, 12:16], dash, hx[:, 16:20], dash, hx[:, 20:]],
        axis=1,
    )
    offsets = np.arange(0, 36 * (n + 1), 36, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(out.tobytes()))


def _take(arr: pa.StringArray, idx: np.ndarray) -> pd.arrays.ArrowExtensionArray:
    """``arr[idx]``, NULL where ``idx`` is negative."""
    return pd.arrays.ArrowExtensionArray(arr.take(pa.array(idx, mask=idx < 0)))


def _merged_users(world: World, users: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """App users whose MySQL ``hubspot_contact_id`` points at a merged-away loser.

    If the app module exposes the ids it wrote, follow them; otherwise pick 3% here."""
    for name, frame in world.frames.items():
        if name.startswith("app_") and {"app_user_id", "hubspot_contact_id"} <= set(frame.columns):
            ids = frame.loc[frame.hubspot_contact_id >= 5_000_000, "app_user_id"].to_numpy()
            return np.isin(users.app_user_id.to_numpy(), ids)
    n = len(users)
    mask = np.zeros(n, dtype=bool)
    mask[rng.choice(n, size=defect_count("hubspot_merged_contacts", n), replace=False)] = True
    return mask


def _first_urls(world: World, person_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First landing URL and the utm_campaign of each person's first session."""
    sessions, ads, campaigns = world["sessions"], world["ads"], world["campaigns"]
    first = sessions.loc[sessions.anchor == 0].drop_duplicates("person_idx")
    ad_of = pd.Series(first.ad_idx.to_numpy(), index=first.person_idx.to_numpy())
    ad = ad_of.reindex(person_idx).fillna(NEVER).to_numpy().astype(np.int64)
    paid = ad >= 0
    safe = np.where(paid, ad, 0)
    camp = ads.campaign_idx.to_numpy()[safe]
    path = ads.landing_path.to_numpy()[safe]
    qs = (
        "?utm_source="
        + campaigns.utm_source.to_numpy()[camp].astype(object)
        + "&utm_medium="
        + campaigns.utm_medium.to_numpy()[camp].astype(object)
        + "&utm_campaign="
        + pd.Series(campaigns.utm_campaign.to_numpy()[camp])
        .str.replace(" ", "%20")
        .to_numpy()
        .astype(object)
    )
    url = np.where(
        paid, "https://www.finstack.co.uk" + path.astype(object) + qs, "https://www.finstack.co.uk/"
    )
    utm = np.where(paid, campaigns.campaign_name.to_numpy()[camp].astype(object), "")
    return url.astype(object), utm.astype(object)


# ---------------------------------------------------------------------------------------------
# contacts and their property history


def _build_contacts(world: World) -> pd.DataFrame:
    rng = world.rng("hubspot.contacts")
    win = world.window
    users, people = world["users"], world["people"]
    n = len(users)
    uid = users.app_user_id.to_numpy()
    pidx = users.person_idx.to_numpy()
    signup = users.signup_us.to_numpy()
    canon = users.email.to_numpy().astype(object)
    variant = users.email_variant.to_numpy()
    hs_email = np.where(
        variant == 1,
        pd.Series(canon).str.upper().to_numpy(),
        np.where(variant == 2, " " + canon + " ", canon),
    ).astype(object)
    opt = users.marketing_opt_in.to_numpy()
    channel = users.channel.to_numpy()

    # erasure: the app module's requests (HubSpot deletes the contact on completion)
    erased_us = np.full(n, NEVER, dtype=np.int64)
    er = world.frames.get("app_erasures")
    if er is not None and len(er):
        done = er.loc[er.completed_us >= 0]
        s = pd.Series(done.completed_us.to_numpy(), index=done.app_user_id.to_numpy())
        s = s.groupby(level=0).min()
        erased_us = s.reindex(uid).fillna(NEVER).to_numpy().astype(np.int64)
        erased_us = np.where(
            erased_us >= 0, erased_us + rng.integers(1, 48, n) * US_PER_HOUR, NEVER
        )

    main = pd.DataFrame(
        {
            "contact_id": 1_000_000 + uid,
            "kind": 0,
            "person_idx": pidx,
            "app_user_id": uid,
            "email": hs_email,
            "canonical_email": canon,
            "first_name": users.first_name.to_numpy().astype(object),
            "last_name": users.last_name.to_numpy().astype(object),
            "created_us": signup + rng.integers(1, 10, n) * US_PER_MINUTE,
            "channel": channel,
            "opt_in": opt,
            "survivor_id": NEVER,
            "merged_us": NEVER,
            "deleted_us": erased_us,
            "is_hnw": users.investor_category.to_numpy() > 0,
        }
    )

    # merged contacts: a pre-sign-up newsletter contact (the loser) merged after sign-up
    merged = _merged_users(world, users, rng)
    mi = np.flatnonzero(merged)
    first_visit = people.first_visit_us.to_numpy()[pidx[mi]]
    loser_created = np.maximum(
        np.minimum(first_visit, signup[mi] - US_PER_HOUR)
        - rng.integers(0, 20, len(mi)) * US_PER_DAY,
        win.start_us,
    )
    merge_us = signup[mi] + rng.integers(1, 20 * 24, len(mi)) * US_PER_HOUR
    # half of the losers stay live in the warehouse (Fivetran missed the delete)
    loser_deleted = np.where(rng.random(len(mi)) < 0.5, merge_us, NEVER)
    loser_deleted = np.where(
        erased_us[mi] >= 0,
        np.where(loser_deleted >= 0, np.minimum(loser_deleted, erased_us[mi]), erased_us[mi]),
        loser_deleted,
    )
    losers = pd.DataFrame(
        {
            "contact_id": 5_000_000 + uid[mi],
            "kind": 1,
            "person_idx": pidx[mi],
            "app_user_id": uid[mi],
            "email": canon[mi],
            "canonical_email": canon[mi],
            "first_name": main.first_name.to_numpy()[mi],
            "last_name": main.last_name.to_numpy()[mi],
            "created_us": loser_created,
            "channel": np.full(len(mi), CH["email"]),
            "opt_in": True,
            "survivor_id": 1_000_000 + uid[mi],
            "merged_us": merge_us,
            "deleted_us": loser_deleted,
            "is_hnw": False,
        }
    )
    # a third of them merged a second loser later: `id;id` lists
    second = rng.random(len(mi)) < 0.34
    si = mi[second]
    merge2 = merge_us[second] + rng.integers(1, 10 * 24, len(si)) * US_PER_HOUR
    losers2 = pd.DataFrame(
        {
            "contact_id": 8_000_000 + uid[si],
            "kind": 1,
            "person_idx": pidx[si],
            "app_user_id": uid[si],
            "email": pd.Series(canon[si]).str.upper().to_numpy(),
            "canonical_email": canon[si],
            "first_name": main.first_name.to_numpy()[si],
            "last_name": main.last_name.to_numpy()[si],
            "created_us": signup[si] + rng.integers(1, 24, len(si)) * US_PER_HOUR,
            "channel": CH["direct"],
            "opt_in": False,
            "survivor_id": 1_000_000 + uid[si],
            "merged_us": merge2,
            "deleted_us": merge2,
            "is_hnw": False,
        }
    )

    # duplicate emails: a second live contact (contact form) with the email in another case
    # (picked among users old enough for the duplicate to exist by the first delivery)
    pool = np.flatnonzero(signup < win.end_us - 10 * US_PER_DAY)
    pool = pool if len(pool) >= 20 else np.arange(n)
    di = np.sort(
        rng.choice(
            pool, size=min(len(pool), defect_count("hubspot_duplicate_emails", n)), replace=False
        )
    )
    dup_delay = np.maximum(win.end_us - 2 * US_PER_DAY - signup[di], US_PER_DAY)
    dup_email = pd.Series(canon[di]).str.capitalize().to_numpy()
    dups = pd.DataFrame(
        {
            "contact_id": 2_000_000 + uid[di],
            "kind": 3,
            "person_idx": pidx[di],
            "app_user_id": uid[di],
            "email": dup_email,
            "canonical_email": canon[di],
            "first_name": main.first_name.to_numpy()[di],
            "last_name": main.last_name.to_numpy()[di],
            "created_us": signup[di]
            + (rng.uniform(0.05, 1, len(di)) * np.minimum(dup_delay, 40 * US_PER_DAY)).astype(
                np.int64
            ),
            "channel": CH["direct"],
            "opt_in": False,
            "survivor_id": NEVER,
            "merged_us": NEVER,
            "deleted_us": erased_us[di],
            "is_hnw": False,
        }
    )

    # leads: visitors who left an email (newsletter) and never signed up
    vis = people.loc[~people.is_user]
    vch = vis.channel.to_numpy()
    p_lead = np.where(
        np.isin(vch, [CH["email"], CH["affiliate"], CH["paid_social_linkedin"]]), 0.25, 0.03
    )
    vis = vis.loc[rng.random(len(vis)) < p_lead]
    m = len(vis)
    fn = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), m)]
    ln = LAST_NAMES[rng.integers(0, len(LAST_NAMES), m)]
    lead_email = (
        pd.Series(fn).str.lower()
        + "."
        + pd.Series(ln).str.lower()
        + vis.person_idx.astype(str).to_numpy()
        + "@"
        + DOMAINS[rng.integers(0, len(DOMAINS), m)]
    ).to_numpy()
    leads = pd.DataFrame(
        {
            "contact_id": 10_000_000 + vis.person_idx.to_numpy(),
            "kind": 2,
            "person_idx": vis.person_idx.to_numpy(),
            "app_user_id": NEVER,
            "email": lead_email,
            "canonical_email": lead_email,
            "first_name": fn,
            "last_name": ln,
            "created_us": vis.first_visit_us.to_numpy() + rng.integers(1, 30, m) * US_PER_MINUTE,
            "channel": vis.channel.to_numpy(),
            "opt_in": True,
            "survivor_id": NEVER,
            "merged_us": NEVER,
            "deleted_us": NEVER,
            "is_hnw": False,
        }
    )

    c = pd.concat([main, losers, losers2, dups, leads], ignore_index=True)
    c["contact_idx"] = np.arange(len(c), dtype=np.int64)
    c["deleted_arr_us"] = np.where(c.deleted_us >= 0, c.deleted_us + _lag(rng, len(c)), NEVER)
    url, utm = _first_urls(world, c.person_idx.to_numpy())
    ch_names = np.array(CHANNELS, dtype=object)[c.channel.to_numpy()]
    src = SOURCE_OF_CHANNEL
    c["analytics_source"] = np.array([src[x][0] for x in CHANNELS], dtype=object)[c.channel]
    c["source_data_1"] = np.array([src[x][1] for x in CHANNELS], dtype=object)[c.channel]
    c["source_data_2"] = np.where(utm != "", utm, None)
    c["first_referrer"] = np.array([src[x][2] for x in CHANNELS], dtype=object)[c.channel]
    # internal staff and QA accounts were imported by hand
    internal = np.isin(c.app_user_id.to_numpy(), uid[users.is_internal.to_numpy()])
    c.loc[internal & (c.kind == 0), "analytics_source"] = "OFFLINE"
    c["first_url"] = np.where(
        ch_names == "email", "https://www.finstack.co.uk/?utm_source=hubspot&utm_medium=email", url
    )
    c["first_visit_us"] = people.first_visit_us.to_numpy()[c.person_idx.to_numpy()]
    c["kind"] = c.kind.astype(np.int16)
    c["channel"] = c.channel.astype(np.int16)
    return c


def _build_history(world: World, c: pd.DataFrame, deal_owner: pd.Series) -> pd.DataFrame:
    """Property versions of every contact (``contact_property_history``)."""
    rng = world.rng("hubspot.history")
    win = world.window
    users = world["users"].set_index("app_user_id")
    parts: list[pd.DataFrame] = []

    def add(idx, name, value, ts, source, source_id=None, sub=0):
        idx = np.asarray(idx, dtype=np.int64)
        if len(idx) == 0:
            return
        parts.append(
            pd.DataFrame(
                {
                    "contact_idx": idx,
                    "name": name,
                    "value": np.asarray(value, dtype=object),
                    "ts_us": np.asarray(ts, dtype=np.int64),
                    "source": source,
                    "source_id": source_id if source_id is not None else None,
                    "sub": sub,
                }
            )
        )

    kind = c.kind.to_numpy()
    created = c.created_us.to_numpy()
    cidx = c.contact_idx.to_numpy()
    app_uid = c.app_user_id.to_numpy()
    src_of_kind = np.array(["INTEGRATION", "FORM", "FORM", "FORM"], dtype=object)[kind]
    # identity properties at creation
    # the email as the contact was created (the user's variant: case or padding)
    for name, col in (("email", "email"), ("firstname", "first_name"), ("lastname", "last_name")):
        add(cidx, name, c[col].to_numpy(), created, src_of_kind)
    # a few names fixed up by hand later (capitalisation)
    fix = rng.random(len(c)) < 0.05
    add(
        cidx[fix],
        "firstname",
        c.first_name.to_numpy()[fix].astype(str),
        created[fix] + rng.integers(1, 60 * 24, fix.sum()) * US_PER_HOUR,
        "CRM_UI",
        "userId:31000006",
    )
    add(cidx, "hs_analytics_source", c.analytics_source.to_numpy(), created, "ANALYTICS")

    m = kind == 0
    u = users.loc[app_uid[m]]
    public_id = u.public_id.to_numpy().astype(object)
    add(cidx[m], "app_user_id", public_id, created[m], "INTEGRATION", "app-sync-481516")
    kyc = u.kyc_approved_us.to_numpy()
    dep = u.first_deposit_us.to_numpy()
    k = kyc >= 0
    add(
        cidx[m][k],
        "investor_category",
        INVESTOR_CATEGORIES[u.investor_category.to_numpy()[k]],
        kyc[k] + US_PER_MINUTE,
        "INTEGRATION",
        "app-sync-481516",
    )
    # date-only properties: epoch milliseconds of midnight UTC
    add(
        cidx[m][k],
        "kyc_approved_date",
        ((kyc[k] // US_PER_DAY) * 86_400_000).astype(str),
        kyc[k] + US_PER_MINUTE,
        "INTEGRATION",
        "app-sync-481516",
    )
    d = dep >= 0
    add(
        cidx[m][d],
        "first_deposit_date",
        ((dep[d] // US_PER_DAY) * 86_400_000).astype(str),
        dep[d] + 2 * US_PER_MINUTE,
        "INTEGRATION",
        "app-sync-481516",
    )
    dob_ms = (
        pd.to_datetime(u.birth_year.astype(str), format="%Y")
        .to_numpy()
        .astype("datetime64[D]")
        .astype(np.int64)
        + u.birth_doy.to_numpy()
    ) * 86_400_000
    add(cidx[m], "date_of_birth", dob_ms.astype(str), created[m], "INTEGRATION", "app-sync-481516")

    # lifecycle stage: subscriber (newsletter) / lead (sign-up) -> MQL (KYC) -> opportunity -> customer
    first_stage = np.where(kind == 0, "lead", np.where(kind == 3, "lead", "subscriber"))
    add(cidx, "lifecyclestage", first_stage, created, src_of_kind)
    mcid = cidx[m]
    add(
        mcid[k],
        "lifecyclestage",
        "marketingqualifiedlead",
        kyc[k],
        "AUTOMATION_PLATFORM",
        "workflow:2201",
    )
    opp = d & k
    opp_us = kyc + (dep - kyc) // 2
    add(mcid[opp], "lifecyclestage", "opportunity", opp_us[opp], "CRM_UI", "userId:31000001")
    add(mcid[d], "lifecyclestage", "customer", dep[d], "AUTOMATION_PLATFORM", "workflow:2202")
    # same timestamp: a workflow and a rep both set the stage in the same millisecond
    cand = np.flatnonzero(d)
    n_tie = min(len(cand), defect_count("hubspot_same_timestamp_versions", m.sum()))
    tie = rng.choice(cand, size=n_tie, replace=False)
    add(mcid[tie], "lifecyclestage", "opportunity", dep[tie], "CRM_UI", "userId:31000002", sub=-1)
    # regressions: an import resets the stage to lead; most are restored later
    last_stage = np.where(d, "customer", np.where(k, "marketingqualifiedlead", ""))
    last_us = np.where(d, dep, kyc)
    cand = np.flatnonzero(k & (last_us < win.horizon_us - 3 * US_PER_DAY))
    n_reg = min(len(cand), defect_count("hubspot_lifecycle_regression", m.sum()))
    reg = rng.choice(cand, size=n_reg, replace=False)
    reg_us = last_us[reg] + rng.integers(1, 20 * 24, n_reg) * US_PER_HOUR
    add(mcid[reg], "lifecyclestage", "lead", reg_us, "IMPORT", "import:77")
    back = rng.random(n_reg) < 0.7
    add(
        mcid[reg[back]],
        "lifecyclestage",
        last_stage[reg[back]],
        reg_us[back] + rng.integers(1, 5 * 24, back.sum()) * US_PER_HOUR,
        "CRM_UI",
        "userId:31000003",
    )
    # leads that later filled in the contact form
    lf = (kind == 2) & (rng.random(len(c)) < 0.2)
    add(
        cidx[lf],
        "lifecyclestage",
        "lead",
        created[lf] + rng.integers(1, 20 * 24, lf.sum()) * US_PER_HOUR,
        "FORM",
    )

    # hs_lead_status: 1-20 versions, a random walk through the statuses
    nver = 1 + np.minimum(rng.geometric(0.45, size=len(c)) - 1, 19)
    # a few busy contacts reach 20 versions within three weeks (visible in tiny data)
    early = np.flatnonzero(created < win.end_us - 25 * US_PER_DAY)
    busy = rng.choice(early, size=min(len(early), 5), replace=False)
    nver[busy] = 20
    window_days = np.full(len(c), 90)
    window_days[busy] = 20
    who = np.repeat(np.arange(len(c)), nver)
    span = np.maximum(
        np.minimum(created[who] + window_days[who] * US_PER_DAY, win.horizon_us) - created[who],
        US_PER_HOUR,
    )
    ts = created[who] + (rng.random(len(who)) * span).astype(np.int64)
    first = np.r_[True, who[1:] != who[:-1]]
    ts = np.where(first, created[who], ts)
    st = np.where(first, "NEW", LEAD_STATUS[rng.integers(1, len(LEAD_STATUS), len(who))])
    add(cidx[who], "hs_lead_status", st, ts, np.where(first, "CALCULATED", "CRM_UI"))

    # owner: deal contacts get their deal's owner, some reassigned
    own = deal_owner.reindex(cidx).to_numpy()
    has = ~np.isnan(own)
    add(
        cidx[has],
        "hubspot_owner_id",
        own[has].astype(np.int64).astype(str),
        created[has] + US_PER_HOUR,
        "CRM_UI",
        "userId:31000001",
    )
    re = has & (rng.random(len(c)) < 0.2)
    add(
        cidx[re],
        "hubspot_owner_id",
        np.array([str(o[0]) for o in OWNERS], dtype=object)[rng.integers(0, N_SALES, re.sum())],
        created[re] + rng.integers(2, 30 * 24, re.sum()) * US_PER_HOUR,
        "CRM_UI",
        "userId:31000001",
    )

    # new custom properties, introduced mid-history (NULL before)
    intro = win.start_us + int(0.45 * (win.horizon_us - win.start_us))
    for name, values in (
        ("risk_appetite", np.array(["cautious", "balanced", "adventurous"])),
        ("preferred_product", np.array(["lending_pool", "fixed_note", "cash"])),
    ):
        sel = (kind == 0) & (rng.random(len(c)) < 0.5)
        t = np.maximum(created[sel], intro) + (rng.exponential(5.0, sel.sum()) * US_PER_DAY).astype(
            np.int64
        )
        add(
            cidx[sel],
            name,
            values[rng.integers(0, len(values), sel.sum())].astype(object),
            t,
            "INTEGRATION",
            "app-sync-481516",
        )

    # merges: the survivor lists the losers (ids, then vid:epoch_ms)
    lo = c.loc[c.kind == 1].sort_values(["survivor_id", "merged_us"])
    surv_idx = pd.Series(cidx, index=c.contact_id.to_numpy()).reindex(lo.survivor_id.to_numpy())
    ids = lo.contact_id.astype(str).to_numpy().astype(object)
    vids = (lo.contact_id.astype(str) + ":" + (lo.merged_us // 1000).astype(str)).to_numpy()
    first_of = np.r_[True, lo.survivor_id.to_numpy()[1:] != lo.survivor_id.to_numpy()[:-1]]
    prev_ids = np.concatenate([np.array([""], dtype=object), ids[:-1]])
    prev_vids = np.concatenate([np.array([""], dtype=object), vids[:-1]])
    ids_val = np.where(first_of, ids, prev_ids + ";" + ids)
    vids_val = np.where(first_of, vids, prev_vids + ";" + vids)
    add(surv_idx.to_numpy(), "hs_merged_object_ids", ids_val, lo.merged_us.to_numpy(), "MERGE")
    add(
        surv_idx.to_numpy(),
        "hs_calculated_merged_vids",
        vids_val,
        lo.merged_us.to_numpy(),
        "CALCULATED",
    )

    h = pd.concat(parts, ignore_index=True)
    h = h.loc[h.ts_us < win.horizon_us]
    h = h.sort_values(["contact_idx", "name", "ts_us", "sub"], kind="stable").reset_index(drop=True)
    h["ord"] = np.arange(len(h), dtype=np.int64)
    h["contact_id"] = c.contact_id.to_numpy()[h.contact_idx.to_numpy()]
    h["arr_us"] = h.ts_us.to_numpy() + _lag(rng, len(h))
    h["source_id"] = h.source_id.where(h.source_id.notna(), None)
    return h.drop(columns=["sub"])


# ---------------------------------------------------------------------------------------------
# email marketing


def _build_campaigns(world: World) -> pd.DataFrame:
    rng = world.rng("hubspot.campaigns")
    win = world.window
    # batch newsletters on Tuesdays at 10:00 UTC
    first_day = win.start_us // US_PER_DAY
    weekday = (first_day + 3) % 7  # 0 = Monday
    first_tue = (first_day + (1 - weekday) % 7) * US_PER_DAY + 10 * US_PER_HOUR
    sends = np.arange(first_tue, win.horizon_us, 7 * US_PER_DAY)
    nb = len(sends)
    themes = np.array(BATCH_THEMES, dtype=object)[np.arange(nb) % len(BATCH_THEMES)]
    dates = pd.to_datetime(sends, unit="us").strftime("%Y-%m-%d").to_numpy().astype(object)
    slug = pd.Series(themes).str.lower().str.replace(" ", "_").to_numpy().astype(object)
    batch = pd.DataFrame(
        {
            "name": themes + " - " + dates,
            "utm_campaign": "newsletter_"
            + pd.Series(dates).str.replace("-", "").to_numpy()
            + "_"
            + slug,
            "subject": themes + ": what's new at Finstack",
            "type": np.where(np.arange(nb) % 4 == 3, "AB_EMAIL", "BATCH_EMAIL"),
            "first_send_us": sends,
            "is_automated": False,
        }
    )
    auto = pd.DataFrame(
        {
            "name": [a[0] for a in AUTOMATED],
            "utm_campaign": [a[1] for a in AUTOMATED],
            "subject": [a[2] for a in AUTOMATED],
            "type": "AUTOMATED_EMAIL",
            "first_send_us": NEVER,
            "is_automated": True,
        }
    )
    camp = pd.concat([auto, batch], ignore_index=True)
    camp.insert(0, "email_campaign_idx", np.arange(len(camp), dtype=np.int64))
    camp.insert(
        1, "campaign_id", 71_000_000 + np.sort(rng.choice(900_000, len(camp), replace=False))
    )
    camp["content_id"] = 5_100_000_000 + rng.integers(0, 99_999_999, len(camp))
    camp["app_id"] = np.where(camp.is_automated, 114, 113)
    camp["app_name"] = np.where(camp.is_automated, "Automated", "Batch")
    return camp


def _build_sends(world: World, c: pd.DataFrame, camp: pd.DataFrame) -> pd.DataFrame:
    """Which contact received which campaign when (before unsubscribes are applied)."""
    rng = world.rng("hubspot.sends")
    win = world.window
    users = world["users"].set_index("app_user_id")
    kind = c.kind.to_numpy()
    created = c.created_us.to_numpy()
    deleted = c.deleted_us.to_numpy()
    eligible = c.opt_in.to_numpy() & np.isin(kind, [0, 2])
    parts = []
    for row in camp.loc[~camp.is_automated].itertuples():  # one per week: a small catalogue
        t = row.first_send_us
        ok = eligible & (created < t) & ((deleted < 0) | (deleted > t)) & (rng.random(len(c)) < 0.4)
        idx = np.flatnonzero(ok)
        parts.append(
            pd.DataFrame(
                {
                    "contact_idx": idx,
                    "email_campaign_idx": row.email_campaign_idx,
                    "send_us": t + rng.integers(0, 20 * US_PER_MINUTE, len(idx)),
                }
            )
        )
    # automated: welcome at creation, KYC reminder, first-deposit nudge
    m = np.flatnonzero(eligible)
    parts.append(
        pd.DataFrame(
            {"contact_idx": m, "email_campaign_idx": 0, "send_us": created[m] + 5 * US_PER_MINUTE}
        )
    )
    mm = np.flatnonzero(eligible & (kind == 0))
    u = users.loc[c.app_user_id.to_numpy()[mm]]
    signup = u.signup_us.to_numpy()
    kyc_sub, kyc = u.kyc_submitted_us.to_numpy(), u.kyc_approved_us.to_numpy()
    dep = u.first_deposit_us.to_numpy()
    rem = signup + 2 * US_PER_DAY
    need = (kyc_sub < 0) | (kyc_sub > rem)
    parts.append(
        pd.DataFrame({"contact_idx": mm[need], "email_campaign_idx": 1, "send_us": rem[need]})
    )
    nudge = kyc + 3 * US_PER_DAY
    need = (kyc >= 0) & ((dep < 0) | (dep > nudge))
    parts.append(
        pd.DataFrame({"contact_idx": mm[need], "email_campaign_idx": 2, "send_us": nudge[need]})
    )
    s = pd.concat(parts, ignore_index=True)
    alive = (deleted[s.contact_idx] < 0) | (deleted[s.contact_idx] > s.send_us)
    s = s.loc[alive & (s.send_us >= win.start_us) & (s.send_us < win.horizon_us - US_PER_HOUR)]
    return s.sort_values(["send_us", "contact_idx"]).reset_index(drop=True)


def _build_email_events(
    world: World, c: pd.DataFrame, camp: pd.DataFrame, s: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SENT -> PROCESSED -> DELIVERED/DROPPED/BOUNCE -> OPEN -> CLICK, with the noise of §9."""
    rng = world.rng("hubspot.email_events")
    n0 = len(s)
    send_us = s.send_us.to_numpy()
    r = rng.random(n0)
    dropped = r < 0.01
    bounced = (r >= 0.01) & (r < 0.03)
    processed_us = send_us + rng.integers(1, 20, n0) * US_PER_SECOND
    bounce_us = processed_us + rng.integers(1, 60, n0) * US_PER_SECOND
    r2 = rng.random(n0)
    deferred = ~dropped & ~bounced & (r2 < 0.03)
    deferred2 = deferred & (rng.random(n0) < 0.35)
    delivered = ~dropped & ~bounced
    delivered_us = np.where(
        deferred,
        processed_us + rng.integers(10, 120, n0) * US_PER_MINUTE,
        processed_us + rng.integers(1, 30, n0) * US_PER_SECOND,
    )
    unsub = delivered & (rng.random(n0) < 0.004)
    unsub_us = delivered_us + rng.integers(1, 72, n0) * US_PER_HOUR
    spam = np.zeros(n0, dtype=bool)
    cand = np.flatnonzero(delivered & ~unsub)
    spam[rng.choice(cand, size=min(len(cand), max(3, round(0.0008 * n0))), replace=False)] = True
    spam_us = delivered_us + rng.integers(1, 48, n0) * US_PER_HOUR
    # contacts stop receiving after an unsubscribe, a bounce or a spam report
    stop_us = np.minimum.reduce(
        [
            np.where(bounced, bounce_us + US_PER_MINUTE, np.iinfo(np.int64).max),
            np.where(unsub, unsub_us, np.iinfo(np.int64).max),
            np.where(spam, spam_us + US_PER_MINUTE, np.iinfo(np.int64).max),
        ]
    )
    first_stop = pd.Series(stop_us).groupby(s.contact_idx.to_numpy()).min()
    keep = send_us <= first_stop.reindex(s.contact_idx.to_numpy()).to_numpy()
    s = s.loc[keep].reset_index(drop=True)
    arrays = {
        k: v[keep]
        for k, v in dict(
            send_us=send_us,
            dropped=dropped,
            bounced=bounced,
            processed_us=processed_us,
            bounce_us=bounce_us,
            deferred=deferred,
            deferred2=deferred2,
            delivered=delivered,
            delivered_us=delivered_us,
            unsub=unsub,
            unsub_us=unsub_us,
            spam=spam,
            spam_us=spam_us,
        ).items()
    }
    a = type("A", (), arrays)
    n = len(s)
    s["send_idx"] = np.arange(n, dtype=np.int64)

    parts: list[pd.DataFrame] = []
    counter = [0]

    def add(send, typ, created, **extra):
        send = np.asarray(send, dtype=np.int64)
        idx = counter[0] + np.arange(len(send), dtype=np.int64)
        counter[0] += len(send)
        df = pd.DataFrame(
            {
                "event_idx": idx,
                "send_idx": send,
                "type": typ,
                "created_us": np.asarray(created, dtype=np.int64),
            }
        )
        for k, v in extra.items():
            df[k] = v
        parts.append(df)
        return idx

    all_s = np.arange(n)
    add(all_s, "SENT", a.send_us)  # event_idx == send_idx for SENT: sent_by_id is free
    d = np.flatnonzero(a.dropped)
    add(d, "DROPPED", a.send_us[d] + US_PER_SECOND)
    p = np.flatnonzero(~a.dropped)
    add(p, "PROCESSED", a.processed_us[p])
    b = np.flatnonzero(a.bounced)
    b_idx = add(b, "BOUNCE", a.bounce_us[b])
    add(
        b,
        "STATUSCHANGE",
        a.bounce_us[b] + rng.integers(1, 10, len(b)) * US_PER_MINUTE,
        caused_by_idx=b_idx,
        status_source="SOURCE_BOUNCE",
        bounced=True,
    )
    dl = np.flatnonzero(a.delivered)
    dl_idx = add(dl, "DELIVERED", a.delivered_us[dl])
    delivered_idx = np.full(n, NEVER, dtype=np.int64)
    delivered_idx[dl] = dl_idx
    # deferrals: DEFERRED (-> DEFERRED) -> DELIVERED, each obsoleted by the next
    df2 = np.flatnonzero(a.deferred2)
    df2_idx = add(
        df2,
        "DEFERRED",
        a.processed_us[df2] + 5 * US_PER_MINUTE,
        obsoleted_by_idx=delivered_idx[df2],
        attempt=2,
    )
    next_of = delivered_idx.copy()
    next_of[df2] = df2_idx
    df1 = np.flatnonzero(a.deferred)
    add(
        df1,
        "DEFERRED",
        a.processed_us[df1] + 5 * US_PER_SECOND,
        obsoleted_by_idx=next_of[df1],
        attempt=1,
    )

    # human opens: 1..5 per opener, hours after delivery
    opener = dl[rng.random(len(dl)) < 0.22]
    k = 1 + np.minimum(rng.geometric(0.6, len(opener)) - 1, 4)
    os_ = np.repeat(opener, k)
    gaps = (rng.exponential(6.0, len(os_)) * US_PER_HOUR).astype(np.int64) + US_PER_MINUTE
    starts = np.r_[0, np.cumsum(k)[:-1]]
    cum = np.cumsum(gaps)
    cum = cum - np.repeat(cum[starts] - gaps[starts], k)
    human_open_us = a.delivered_us[os_] + cum
    add(
        os_,
        "OPEN",
        human_open_us,
        machine=False,
        ua_kind=rng.integers(0, 6, len(os_)),
        duration_ms=rng.integers(2_000, 90_000, len(os_)),
    )
    # machine opens (Apple MPP, image proxies): within 2 s of delivery, ~30% of all opens
    n_machine = min(len(dl), round(len(os_) * 0.3 / 0.7))
    mo = np.sort(rng.choice(dl, size=n_machine, replace=False))
    add(
        mo,
        "OPEN",
        a.delivered_us[mo] + rng.integers(100_000, 1_900_000, len(mo)),
        machine=True,
        ua_kind=6 + rng.integers(0, 3, len(mo)),
        duration_ms=0,
        filtered=rng.random(len(mo)) < 0.5,
    )
    # link scanners click every link seconds after delivery
    n_bot = defect_count("hubspot_bot_clicks", len(dl)) if len(dl) else 0
    bot = np.sort(rng.choice(dl, size=min(n_bot, len(dl)), replace=False))
    bs = np.repeat(bot, len(LINK_PATHS))
    link = np.tile(np.arange(len(LINK_PATHS)), len(bot))
    add(
        bs,
        "CLICK",
        a.delivered_us[bs] + rng.integers(500_000, 4_000_000, len(bs)),
        machine=True,
        ua_kind=9 + rng.integers(0, 2, len(bs)),
        link_idx=link,
        filtered=True,
    )
    # human clicks after the first open
    clicker = rng.random(len(opener)) < 0.18
    first_open = human_open_us[starts]
    kc = 1 + (rng.random(clicker.sum()) < 0.3)
    cs = np.repeat(opener[clicker], kc)
    add(
        cs,
        "CLICK",
        np.repeat(first_open[clicker], kc) + rng.integers(5, 300, len(cs)) * US_PER_SECOND,
        machine=False,
        ua_kind=rng.integers(0, 6, len(cs)),
        link_idx=rng.integers(0, len(LINK_PATHS), len(cs)),
    )
    # print / forward, rare
    pf = opener[rng.random(len(opener)) < 0.01]
    add(pf, "PRINT", first_open[np.isin(opener, pf)] + US_PER_MINUTE, ua_kind=0)
    fw = opener[rng.random(len(opener)) < 0.01]
    add(fw, "FORWARD", first_open[np.isin(opener, fw)] + 2 * US_PER_MINUTE, ua_kind=1)
    # unsubscribes and spam reports end in a status change
    un = np.flatnonzero(a.unsub)
    add(un, "STATUSCHANGE", a.unsub_us[un], status_source="SOURCE_RECIPIENT", bounced=False)
    sp = np.flatnonzero(a.spam)
    sp_idx = add(sp, "SPAMREPORT", a.spam_us[sp], ua_kind=2)
    add(
        sp,
        "STATUSCHANGE",
        a.spam_us[sp] + US_PER_MINUTE,
        caused_by_idx=sp_idx,
        status_source="SOURCE_SPAM_REPORT",
        bounced=False,
    )

    ev = pd.concat(parts, ignore_index=True)
    for col, default in (
        ("caused_by_idx", NEVER),
        ("obsoleted_by_idx", NEVER),
        ("link_idx", NEVER),
        ("ua_kind", NEVER),
        ("duration_ms", NEVER),
        ("attempt", NEVER),
    ):
        ev[col] = ev[col].fillna(default).astype(np.int64) if col in ev else default
    ev["machine"] = ev["machine"].fillna(False).astype(bool)
    ev["filtered"] = ev["filtered"].fillna(False).astype(bool)
    ev["bounced"] = ev["bounced"].astype("boolean")
    ev["contact_idx"] = s.contact_idx.to_numpy()[ev.send_idx.to_numpy()]
    ev["email_campaign_idx"] = s.email_campaign_idx.to_numpy()[ev.send_idx.to_numpy()]
    ev["person_idx"] = c.person_idx.to_numpy()[ev.contact_idx.to_numpy()]
    ev["arr_us"] = ev.created_us.to_numpy() + _lag(rng, len(ev))
    ev = ev.sort_values("event_idx").reset_index(drop=True)
    ev["sent_us"] = s.send_us.to_numpy()[ev.send_idx.to_numpy()]
    uuids = _uuids(rng, len(ev))
    ev["event_uuid"] = pd.arrays.ArrowExtensionArray(uuids)
    ev["sent_by_uuid"] = _take(uuids, ev.send_idx.to_numpy())  # SENT events: idx == send_idx
    ev["caused_by_uuid"] = _take(uuids, ev.caused_by_idx.to_numpy())
    ev["obsoleted_by_uuid"] = _take(uuids, ev.obsoleted_by_idx.to_numpy())
    return s, ev


# ---------------------------------------------------------------------------------------------
# deals, companies, engagements, lists, forms


def _build_deals(world: World, c: pd.DataFrame):
    rng = world.rng("hubspot.deals")
    win = world.window
    users = world["users"].set_index("app_user_id")
    main = c.loc[(c.kind == 0) & c.is_hnw]
    n = len(main)
    u = users.loc[main.app_user_id.to_numpy()]
    created = main.created_us.to_numpy() + rng.integers(1, 72, n) * US_PER_HOUR
    kyc, dep = u.kyc_approved_us.to_numpy(), u.first_deposit_us.to_numpy()
    owner = np.array([o[0] for o in OWNERS[:N_SALES]])[rng.integers(0, N_SALES, n)]
    deals = pd.DataFrame(
        {
            "deal_idx": np.arange(n, dtype=np.int64),
            "deal_id": 7_000_000_000 + np.arange(n, dtype=np.int64) * 3 + 11,
            "contact_idx": main.contact_idx.to_numpy(),
            "contact_id": main.contact_id.to_numpy(),
            "owner_id": owner,
            "created_us": created,
            "amount": (np.round(rng.lognormal(np.log(25_000), 0.8, n) / 500) * 500).astype(
                np.int64
            ),
            "name": (main.first_name + " " + main.last_name + " - Premium onboarding").to_numpy(),
            "deleted_us": NEVER,
            "fivetran_deleted": False,
            "is_merged_loser": False,
        }
    )
    # stage history
    parts = []
    idx = np.arange(n)
    parts.append((idx, PREMIUM_STAGES[0][0], created))
    call = rng.random(n) < 0.7
    call_us = created + rng.integers(12, 5 * 24, n) * US_PER_HOUR
    parts.append((idx[call], PREMIUM_STAGES[1][0], call_us[call]))
    k = kyc >= 0
    k_us = np.maximum(kyc, np.where(call, call_us, created)) + US_PER_MINUTE
    parts.append((idx[k], PREMIUM_STAGES[2][0], k_us[k]))
    lost_us = created + 45 * US_PER_DAY
    won = dep >= 0
    won_us = np.maximum(dep, k_us) + US_PER_MINUTE
    lost = ~won | (won_us > lost_us)
    parts.append((idx[lost], PREMIUM_STAGES[4][0], lost_us[lost]))
    parts.append((idx[won], PREMIUM_STAGES[3][0], won_us[won]))  # reopened and won after a loss
    st = pd.concat(
        [pd.DataFrame({"deal_idx": i, "value": v, "entered_us": t}) for i, v, t in parts],
        ignore_index=True,
    )
    st = st.loc[st.entered_us < win.horizon_us]
    st["source"] = np.where(st.value == PREMIUM_STAGES[0][0], "CRM_UI", "AUTOMATION_PLATFORM")
    st = st.sort_values(["deal_idx", "entered_us"]).reset_index(drop=True)
    st["deal_id"] = deals.deal_id.to_numpy()[st.deal_idx]
    st["arr_us"] = st.entered_us.to_numpy() + _lag(rng, len(st))

    # merged duplicates: a rep created a second deal, merged into the first a few days later
    # (defects picked among deals old enough to show in the first delivery)
    old = np.flatnonzero(created < win.end_us - 31 * US_PER_DAY)
    old = old if len(old) >= 10 else np.arange(n)
    n_merge = min(len(old), defect_count("hubspot_merged_deals", n))
    mi = rng.choice(old, size=n_merge, replace=False)
    mcreated = created[mi] + rng.integers(1, 48, n_merge) * US_PER_HOUR
    merge_us = mcreated + rng.integers(1, 10, n_merge) * US_PER_DAY
    loser = deals.iloc[mi].copy()
    loser["deal_idx"] = n + np.arange(n_merge)
    loser["deal_id"] = 7_500_000_000 + np.arange(n_merge, dtype=np.int64) * 3 + 11
    loser["created_us"] = mcreated
    loser["deleted_us"] = merge_us
    loser["fivetran_deleted"] = True
    loser["is_merged_loser"] = True
    lst = pd.DataFrame(
        {
            "deal_idx": loser.deal_idx.to_numpy(),
            "value": PREMIUM_STAGES[0][0],
            "entered_us": mcreated,
            "source": "CRM_UI",
            "deal_id": loser.deal_id.to_numpy(),
        }
    )
    lst["arr_us"] = lst.entered_us + _lag(rng, len(lst))
    merged = pd.DataFrame(
        {
            "deal_id": deals.deal_id.to_numpy()[mi],
            "merged_deal_id": loser.deal_id.to_numpy(),
            "merged_us": merge_us,
        }
    )
    merged["arr_us"] = merged.merged_us + _lag(rng, len(merged))
    # deleted deals: is_deleted; Fivetran also flags half of them
    n_del = min(len(old), defect_count("hubspot_deleted_deals", n))
    di = rng.choice(np.setdiff1d(old, mi), size=n_del, replace=False)
    deals.loc[di, "deleted_us"] = created[di] + rng.integers(1, 30, n_del) * US_PER_DAY
    deals.loc[di, "fivetran_deleted"] = rng.random(n_del) < 0.5
    deals = pd.concat([deals, loser], ignore_index=True)
    st = pd.concat([st, lst], ignore_index=True).sort_values(["deal_idx", "entered_us"])
    st = st.reset_index(drop=True)
    deals["deleted_arr_us"] = np.where(
        deals.deleted_us >= 0, deals.deleted_us + _lag(rng, len(deals)), NEVER
    )
    # companies: employers of the premium prospects
    nco = max(20, n // 3)
    words = np.array(["Capital", "Partners", "Holdings", "Consulting", "Labs", "Group", "Advisory"])
    stems = np.array(
        [
            "Aldgate",
            "Thames",
            "Pennine",
            "Harbour",
            "Kestrel",
            "Oakridge",
            "Meridian",
            "Northgate",
            "Bramley",
            "Sterling",
            "Lumen",
            "Corvid",
        ]
    )
    cname = (
        stems[rng.integers(0, len(stems), nco)].astype(object)
        + " "
        + words[rng.integers(0, len(words), nco)].astype(object)
        + " "
        + (np.arange(nco) + 1).astype(str).astype(object)
    )
    comp = pd.DataFrame(
        {
            "company_idx": np.arange(nco, dtype=np.int64),
            "company_id": 4_000_000_000 + np.arange(nco, dtype=np.int64) * 7 + 3,
            "name": cname,
            "domain": pd.Series(cname).str.lower().str.replace(" ", "").to_numpy() + ".co.uk",
            "industry": np.array(
                [
                    "FINANCIAL_SERVICES",
                    "LEGAL_SERVICES",
                    "COMPUTER_SOFTWARE",
                    "MEDICAL_PRACTICE",
                    "REAL_ESTATE",
                    "MANAGEMENT_CONSULTING",
                ]
            )[rng.integers(0, 6, nco)],
            "country": np.where(rng.random(nco) < 0.85, "United Kingdom", "Ireland"),
            "created_us": win.start_us - rng.integers(1, 400, nco) * US_PER_DAY,
            "deleted_us": NEVER,
            "fivetran_deleted": False,
        }
    )
    n_cdel = min(nco, defect_count("hubspot_deleted_companies", nco))
    cd = rng.choice(nco, size=n_cdel, replace=False)
    comp.loc[cd, "deleted_us"] = (
        win.start_us
        + rng.integers(0, (win.end_us - win.start_us) // US_PER_DAY, n_cdel) * US_PER_DAY
    )
    comp.loc[cd, "fivetran_deleted"] = rng.random(n_cdel) < 0.5
    comp["arr_us"] = comp.created_us + _lag(rng, nco)
    comp["deleted_arr_us"] = np.where(comp.deleted_us >= 0, comp.deleted_us + _lag(rng, nco), NEVER)
    dc_sel = rng.random(len(deals)) < 0.7
    deal_company = pd.DataFrame(
        {
            "deal_id": deals.deal_id.to_numpy()[dc_sel],
            "company_id": comp.company_id.to_numpy()[rng.integers(0, nco, dc_sel.sum())],
            "created_us": deals.created_us.to_numpy()[dc_sel],
        }
    )
    deal_company["arr_us"] = deal_company.created_us + _lag(rng, len(deal_company))
    deals["arr_us"] = deals.created_us + _lag(rng, len(deals))
    return deals, st, merged, comp, deal_company


def _build_engagements(world: World, c: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    rng = world.rng("hubspot.engagements")
    win = world.window
    live = deals.loc[~deals.is_merged_loser]
    k = rng.integers(2, 7, len(live))
    di = np.repeat(np.arange(len(live)), k)
    t = live.created_us.to_numpy()[di] + (rng.exponential(6.0, len(di)) * US_PER_DAY).astype(
        np.int64
    )
    typ = rng.choice(5, size=len(di), p=[0.3, 0.3, 0.1, 0.2, 0.1])
    e1 = pd.DataFrame(
        {
            "contact_id": live.contact_id.to_numpy()[di],
            "deal_id": live.deal_id.to_numpy()[di],
            "type_code": typ,
            "ts_us": t,
            "owner_id": live.owner_id.to_numpy()[di],
        }
    )
    # customer-success notes and tasks for a few other app users
    other = c.loc[(c.kind == 0) & ~c.is_hnw]
    other = other.loc[rng.random(len(other)) < 0.03]
    e2 = pd.DataFrame(
        {
            "contact_id": other.contact_id.to_numpy(),
            "deal_id": NEVER,
            "type_code": rng.choice([3, 4], size=len(other)),
            "ts_us": other.created_us.to_numpy()
            + rng.integers(1, 30 * 24, len(other)) * US_PER_HOUR,
            "owner_id": np.array([OWNERS[4][0], OWNERS[5][0]])[rng.integers(0, 2, len(other))],
        }
    )
    e = pd.concat([e1, e2], ignore_index=True)
    e = e.loc[e.ts_us < win.horizon_us].sort_values("ts_us").reset_index(drop=True)
    e["engagement_idx"] = np.arange(len(e), dtype=np.int64)
    e["engagement_id"] = 20_000_000_000 + e.engagement_idx * 13 + 5
    e["type"] = np.array(ENGAGEMENT_TYPES, dtype=object)[e.type_code]
    e["created_us"] = e.ts_us - rng.integers(0, 60, len(e)) * US_PER_MINUTE
    e["arr_us"] = e.ts_us + _lag(rng, len(e))
    return e


def _build_lists_forms(
    world: World, c: pd.DataFrame, sends: pd.DataFrame, ev: pd.DataFrame, deals: pd.DataFrame
):
    rng = world.rng("hubspot.lists")
    win = world.window
    kind = c.kind.to_numpy()
    created = c.created_us.to_numpy()
    cidx = c.contact_idx.to_numpy()
    members = []
    nl = (c.opt_in.to_numpy()) & np.isin(kind, [0, 2])
    members.append((11, cidx[nl], created[nl] + US_PER_MINUTE))
    m = kind == 0
    members.append((12, cidx[m], created[m] + US_PER_MINUTE))
    members.append((13, deals.contact_idx.to_numpy(), deals.created_us.to_numpy()))
    sc = ev.loc[ev.type == "STATUSCHANGE"]
    members.append((14, sc.contact_idx.to_numpy(), sc.created_us.to_numpy() + US_PER_MINUTE))
    kr = sends.loc[sends.email_campaign_idx == 1]
    members.append((15, kr.contact_idx.to_numpy(), kr.send_us.to_numpy()))
    web = rng.random(len(c)) < 0.02
    webinar_us = win.start_us + int(0.3 * (win.end_us - win.start_us))
    web &= created < webinar_us
    members.append((16, cidx[web], np.full(web.sum(), webinar_us)))
    lm = pd.concat(
        [
            pd.DataFrame({"contact_list_id": lid, "contact_idx": ci, "added_us": t})
            for lid, ci, t in members
        ],
        ignore_index=True,
    )
    lm = lm.drop_duplicates(["contact_list_id", "contact_idx"]).reset_index(drop=True)
    lm["contact_id"] = c.contact_id.to_numpy()[lm.contact_idx]
    lm["arr_us"] = lm.added_us + _lag(rng, len(lm))
    lm["deleted_arr_us"] = c.deleted_arr_us.to_numpy()[lm.contact_idx]

    # form submissions: how leads, losers and duplicates came to exist
    subs = []
    nls = np.isin(kind, [1, 2]) & (c.opt_in.to_numpy())
    subs.append((0, cidx[nls], created[nls]))
    dup = kind == 3
    subs.append((1, cidx[dup], created[dup]))
    cu = m & (rng.random(len(c)) < 0.02)
    subs.append((1, cidx[cu], created[cu] + rng.integers(1, 60 * 24, cu.sum()) * US_PER_HOUR))
    pr = rng.random(len(deals)) < 0.5
    subs.append(
        (2, deals.contact_idx.to_numpy()[pr], deals.created_us.to_numpy()[pr] - 30 * US_PER_MINUTE)
    )
    subs.append((3, cidx[web], np.full(web.sum(), webinar_us - 7 * US_PER_DAY)))
    fs = pd.concat(
        [pd.DataFrame({"form_idx": f, "contact_idx": ci, "ts_us": t}) for f, ci, t in subs],
        ignore_index=True,
    )
    fs = fs.loc[(fs.ts_us >= win.start_us) & (fs.ts_us < win.horizon_us)]
    fs = fs.sort_values(["ts_us", "contact_idx"]).reset_index(drop=True)
    fs["submission_idx"] = np.arange(len(fs), dtype=np.int64)
    fs["contact_id"] = c.contact_id.to_numpy()[fs.contact_idx]
    fs["arr_us"] = fs.ts_us + _lag(rng, len(fs))
    return lm, fs


def simulate(world: World) -> None:
    """Add the HubSpot world frames (see the module docstring)."""
    c = _build_contacts(world)
    deals, stages, merged_deals, companies, deal_company = _build_deals(world, c)
    deal_owner = pd.Series(deals.owner_id.to_numpy(), index=deals.contact_idx.to_numpy())
    deal_owner = deal_owner[~deal_owner.index.duplicated()]
    hist = _build_history(world, c, deal_owner)
    camp = _build_campaigns(world)
    sends, ev = _build_email_events(world, c, camp, _build_sends(world, c, camp))
    # automated campaigns start with their first send; num_included counts every send
    first = sends.groupby("email_campaign_idx").send_us.min()
    auto = camp.is_automated.to_numpy()
    camp.loc[auto, "first_send_us"] = (
        first.reindex(camp.email_campaign_idx[auto])
        .fillna(world.window.start_us)
        .astype(np.int64)
        .to_numpy()
    )
    camp["num_included"] = (
        sends.groupby("email_campaign_idx")
        .size()
        .reindex(camp.email_campaign_idx)
        .fillna(0)
        .astype(np.int64)
        .to_numpy()
    )
    camp["arr_us"] = (
        camp.first_send_us - US_PER_DAY + _lag(world.rng("hubspot.camp_lag"), len(camp))
    )
    eng = _build_engagements(world, c, deals)
    lm, fs = _build_lists_forms(world, c, sends, ev, deals)
    world.add("hs_contacts", c)
    world.add("hs_contact_history", hist)
    world.add("hs_email_campaigns", camp)
    world.add("hs_email_sends", sends)
    world.add("hs_email_events", ev)
    world.add("hs_deals", deals)
    world.add("hs_deal_stages", stages)
    world.add("hs_merged_deals", merged_deals)
    world.add("hs_companies", companies)
    world.add("hs_deal_companies", deal_company)
    world.add("hs_engagements", eng)
    world.add("hs_list_members", lm)
    world.add("hs_form_submissions", fs)


# ---------------------------------------------------------------------------------------------
# raw tables


def _pick(options: list[str], ns: str, key: str) -> str:
    """SQL choosing one of ``options`` from a deterministic hash of ``key``."""
    arr = "[" + ", ".join("'" + o.replace("'", "''") + "'" for o in options) + "]"
    return f"list_extract({arr}, 1 + CAST(floor(u01('{ns}', {key}) * {len(options)}) AS INTEGER))"


def _synced(*arrivals: str) -> str:
    return f"ts_of(greatest({', '.join(arrivals)})) AS _fivetran_synced"


# properties pivoted out of the history: (history name, column, type)
HIST_PROPS = [
    ("email", "property_email", "str"),
    ("firstname", "property_firstname", "str"),
    ("lastname", "property_lastname", "str"),
    ("lifecyclestage", "property_lifecyclestage", "str"),
    ("hs_lead_status", "property_hs_lead_status", "str"),
    ("hubspot_owner_id", "property_hubspot_owner_id", "str"),
    ("hs_analytics_source", "property_hs_analytics_source", "str"),
    ("hs_merged_object_ids", "property_hs_merged_object_ids", "str"),
    ("hs_calculated_merged_vids", "property_hs_calculated_merged_vids", "str"),
    ("app_user_id", "property_app_user_id", "str"),
    ("investor_category", "property_investor_category", "str"),
    ("kyc_approved_date", "property_kyc_approved_date", "ts"),
    ("first_deposit_date", "property_first_deposit_date", "ts"),
    ("date_of_birth", "property_date_of_birth", "ts"),
    ("risk_appetite", "property_risk_appetite", "str"),
    ("preferred_product", "property_preferred_product", "str"),
]
CID = "c.contact_id"
# filler properties: (column, SQL over c = hs_contacts, p = pivot, o = opt-out)
FILLERS = [
    ("property_hs_all-funky-owner_ids", "p.p_hubspot_owner_id"),
    (
        "property_hs_all-funky-team_ids",
        "CASE WHEN p.p_hubspot_owner_id IS NOT NULL THEN '4711' END",
    ),
    (
        "property_hs_all-funky-accessible_team_ids",
        f"CASE WHEN u01('hsf_team', {CID}) < 0.3 THEN '4711;4712' END",
    ),
    (
        "property_utm-source-legacy",
        f"CASE WHEN u01('hsf_utm', {CID}) < 0.2 THEN lower(c.source_data_1) END",
    ),
    (
        "property_2fa_enabled",
        f"CASE WHEN c.kind = 0 THEN CASE WHEN u01('hsf_2fa', {CID}) < 0.6 "
        "THEN 'true' ELSE 'false' END END",
    ),
    ("property_gdpr_consent__c", "CASE WHEN c.opt_in THEN 'granted' ELSE 'not_granted' END"),
    (
        "property_hs_email_optout",
        "CASE WHEN o.contact_idx IS NOT NULL THEN 'true' ELSE 'false' END",
    ),
    (
        "property_hs_marketable_status",
        "CASE WHEN c.opt_in AND o.contact_idx IS NULL THEN 'true' ELSE 'false' END",
    ),
    ("property_hs_email_domain", "split_part(trim(p.p_email), '@', 2)"),
    (
        "property_hs_language",
        f"CASE WHEN u01('hsf_lang', {CID}) < 0.7 THEN 'en-gb' "
        f"WHEN u01('hsf_lang', {CID}) < 0.8 THEN 'en' END",
    ),
    (
        "property_hs_timezone",
        f"CASE WHEN u01('hsf_tz', {CID}) < 0.9 THEN 'europe_slash_london' "
        "ELSE 'europe_slash_dublin' END",
    ),
    (
        "property_ip_country",
        f"CASE WHEN u01('hsf_ipc', {CID}) < 0.85 THEN 'united kingdom' ELSE 'ireland' END",
    ),
    (
        "property_ip_city",
        _pick(
            ["london", "manchester", "leeds", "bristol", "edinburgh", "dublin", "birmingham"],
            "hsf_city",
            CID,
        ),
    ),
    (
        "property_city",
        f"CASE WHEN u01('hsf_c2', {CID}) < 0.4 THEN "
        + _pick(["London", "Manchester", "Leeds", "Bristol", "Glasgow"], "hsf_c3", CID)
        + " END",
    ),
    ("property_country", f"CASE WHEN u01('hsf_c2', {CID}) < 0.4 THEN 'United Kingdom' END"),
    (
        "property_phone",
        f"CASE WHEN u01('hsf_ph', {CID}) < 0.5 THEN '+44 20 ' || "
        f"lpad(CAST(CAST(floor(u01('hsf_ph2', {CID}) * 1e8) AS BIGINT) AS VARCHAR), 8, '0') END",
    ),
    (
        "property_mobilephone",
        f"CASE WHEN u01('hsf_mp', {CID}) < 0.3 THEN '07' || "
        f"lpad(CAST(CAST(floor(u01('hsf_mp2', {CID}) * 1e9) AS BIGINT) AS VARCHAR), 9, '0') END",
    ),
    (
        "property_jobtitle",
        f"CASE WHEN c.is_hnw OR u01('hsf_jt', {CID}) < 0.1 THEN "
        + _pick(
            ["Partner", "Director", "Consultant", "Surgeon", "Founder", "Engineer"], "hsf_jt2", CID
        )
        + " END",
    ),
    (
        "property_company",
        "CASE WHEN c.is_hnw THEN "
        + _pick(
            ["Aldgate Capital", "Thames Partners", "Kestrel Labs", "Meridian Advisory"],
            "hsf_co",
            CID,
        )
        + " END",
    ),
    (
        "property_hs_persona",
        "CASE WHEN c.is_hnw THEN 'persona_2' WHEN c.kind = 0 THEN 'persona_1' END",
    ),
    (
        "property_hubspotscore",
        f"CAST(CAST(floor(u01('hsf_score', {CID}) * 100) AS BIGINT) AS VARCHAR)",
    ),
    (
        "property_num_notes",
        f"CASE WHEN c.is_hnw THEN CAST(1 + CAST(floor(u01('hsf_nn', {CID}) * 5) "
        "AS BIGINT) AS VARCHAR) END",
    ),
    ("property_hs_object_source", "CASE c.kind WHEN 0 THEN 'INTEGRATION' ELSE 'FORM' END"),
    (
        "property_hs_object_source_label",
        "CASE c.kind WHEN 0 THEN 'Finstack app sync' ELSE 'Forms' END",
    ),
    (
        "property_hs_is_unworked",
        "CASE WHEN p.p_hubspot_owner_id IS NULL THEN 'true' ELSE 'false' END",
    ),
    ("property_hs_sequences_is_enrolled", "'false'"),
    ("property_hs_social_twitter_clicks", "'0'"),
]

_pivot = ",\n        ".join(
    f"arg_max(value, ord) FILTER (WHERE name = '{n}') AS p_{n}" for n, _, _ in HIST_PROPS
)
_prop_cols = ",\n    ".join(
    # date-only properties: epoch ms at midnight UTC (dates of birth are before 1970)
    (
        f"make_timestamp(CAST(p.p_{n} AS BIGINT) * 1000)::TIMESTAMPTZ AS {col}"
        if t == "ts"
        else f"p.p_{n} AS {col}"
    )
    for n, col, t in HIST_PROPS
)
_filler_cols = ",\n    ".join(f'{expr} AS "{col}"' for col, expr in FILLERS)
_contact_del = "(c.deleted_arr_us >= 0 AND c.deleted_arr_us < {cut})".replace("{cut}", CUT)

CONTACT_SQL = f"""
WITH p AS (
    SELECT contact_idx,
        {_pivot},
        max(ts_us) AS last_ts, max(arr_us) AS last_arr
    FROM _world.hs_contact_history WHERE arr_us < {CUT}
    GROUP BY contact_idx
), o AS (
    SELECT DISTINCT contact_idx FROM _world.hs_email_events
    WHERE type = 'STATUSCHANGE' AND arr_us < {CUT}
)
SELECT
    c.contact_id AS id,
    {_contact_del} AS _fivetran_deleted,
    ts_of(c.created_us) AS property_createdate,
    ts_of(p.last_ts) AS property_lastmodifieddate,
    {_prop_cols},
    c.source_data_1 AS property_hs_analytics_source_data_1,
    c.source_data_2 AS property_hs_analytics_source_data_2,
    c.first_url AS property_hs_analytics_first_url,
    nullif(c.first_referrer, '') AS property_hs_analytics_first_referrer,
    ts_of(least(c.first_visit_us, c.created_us)) AS property_hs_analytics_first_timestamp,
    {_filler_cols},
    {_synced("p.last_arr", f"CASE WHEN {_contact_del} THEN c.deleted_arr_us ELSE -1 END")},
    ts_of(greatest(p.last_arr, CASE WHEN {_contact_del} THEN c.deleted_arr_us ELSE -1 END))
        AS _arrival_at
FROM _world.hs_contacts c
JOIN p USING (contact_idx)
LEFT JOIN o USING (contact_idx)
"""

CONTACT_COLUMNS = (
    cols("id:int, _fivetran_deleted:bool, property_createdate:ts, property_lastmodifieddate:ts")
    + [Column(col, t) for _, col, t in HIST_PROPS]
    + cols(
        "property_hs_analytics_source_data_1, property_hs_analytics_source_data_2, "
        "property_hs_analytics_first_url, property_hs_analytics_first_referrer, "
        "property_hs_analytics_first_timestamp:ts"
    )
    + [Column(col, "str") for col, _ in FILLERS]
    + cols("_fivetran_synced:ts")
)

# email event children: id plus type-specific columns (SQL over e = hs_email_events, k = campaign)
HUMAN_UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Mobile Safari/537.36",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
]
MACHINE_UA = [
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    "Mozilla/5.0",
    "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
    "Barracuda Sentinel (EE)",
    "Mozilla/5.0 (compatible; Mimecast-LinkScanner/2.1)",
]
UA_ALL = HUMAN_UA + MACHINE_UA
BROWSERS = [
    ("Chrome", "Google"),
    ("Safari", "Apple"),
    ("Apple Mail", "Apple"),
    ("Gmail app", "Google"),
    ("Outlook", "Microsoft"),
    ("Firefox", "Mozilla"),
    ("Google image proxy", "Google"),
    ("Apple Mail privacy proxy", "Apple"),
    ("Yahoo mail proxy", "Yahoo"),
    ("Barracuda", "Barracuda"),
    ("Mimecast", "Mimecast"),
]
_ua_arr = "[" + ", ".join("'" + u.replace("'", "''") + "'" for u in UA_ALL) + "]"
_br_arr = (
    "["
    + ", ".join(
        '\'{"name": "'
        + b
        + '", "family": "'
        + b
        + '", "producer": "'
        + prod
        + '", "type": "'
        + ("Proxy" if i >= 6 else "Browser")
        + '", "version": []}\''
        for i, (b, prod) in enumerate(BROWSERS)
    )
    + "]"
)
UA_SQL = f"list_extract({_ua_arr}, e.ua_kind + 1)"
BROWSER_SQL = f"list_extract({_br_arr}, e.ua_kind + 1)"
LOCATION_SQL = (
    'CASE WHEN e.ua_kind >= 6 THEN \'{"country": "United States", "state": "", '
    '"city": ""}\' ELSE \'{"country": "United Kingdom", "state": "England", '
    '"city": "\' || '
    + _pick(["London", "Manchester", "Leeds", "Bristol"], "hs_city", "e.contact_idx")
    + " || '\"}' END"
)
IP_SQL = (
    "CASE e.ua_kind WHEN 6 THEN '66.249.' WHEN 7 THEN '17.58.' WHEN 8 THEN '98.136.' "
    "WHEN 9 THEN '52.45.' WHEN 10 THEN '205.139.' ELSE '81.' || CAST(e.contact_idx % 250 AS "
    "VARCHAR) || '.' END || CAST(e.event_idx % 250 AS VARCHAR) || '.' || "
    "CAST((e.event_idx // 250) % 250 AS VARCHAR)"
)
LINK_ARR = "[" + ", ".join(f"'{p}'" for p in LINK_PATHS) + "]"
CLICK_URL = (
    "'https://www.finstack.co.uk' || list_extract(" + LINK_ARR + ", e.link_idx + 1) || "
    "'?utm_source=hubspot&utm_medium=email&utm_campaign=' || k.utm_campaign || "
    "'&utm_content=link_' || CAST(e.link_idx + 1 AS VARCHAR) || '&_hsenc=p2ANqtz-' || "
    "substr(h('hsenc', e.send_idx), 1, 22) || '&_hsmi=' || CAST(k.content_id AS VARCHAR)"
)
EVENT_CHILDREN = {
    # table suffix: (event type, columns spec, SELECT list)
    "sent": (
        "SENT",
        "from, subject, reply_to, cc, bcc",
        '\'"Finstack" <hello@finstack.co.uk>\' AS "from", k.subject AS subject, '
        "'hello@finstack.co.uk' AS reply_to, CAST(NULL AS VARCHAR) AS cc, "
        "CAST(NULL AS VARCHAR) AS bcc",
    ),
    "processed": ("PROCESSED", "", ""),
    "delivered": (
        "DELIVERED",
        "response, smtp_id",
        "'250 2.0.0 OK ' || substr(h('smtp', e.event_idx), 1, 10) || ' - gsmtp' AS response, "
        "'<' || substr(h('smtpid', e.event_idx), 1, 16) || '@finstack.co.uk>' AS smtp_id",
    ),
    "dropped": (
        "DROPPED",
        "drop_reason, drop_message",
        _pick(["PREVIOUSLY_BOUNCED", "PREVIOUS_SPAM", "INVALID_TO_ADDRESS"], "drop", "e.event_idx")
        + " AS drop_reason, 'suppressed by HubSpot' AS drop_message",
    ),
    "deferred": (
        "DEFERRED",
        "attempt:int, response",
        "e.attempt AS attempt, '421 4.7.0 Try again later' AS response",
    ),
    "bounce": (
        "BOUNCE",
        "category, status, response",
        _pick(["HARD_BOUNCE", "UNKNOWN_USER", "MAILBOX_FULL", "POLICY"], "bcat", "e.event_idx")
        + " AS category, '5.1.1' AS status, "
        "'550 5.1.1 The email account that you tried to reach does not exist' AS response",
    ),
    "open": (
        "OPEN",
        "browser:json, location:json, ip_address, user_agent, duration:int",
        f"{BROWSER_SQL} AS browser, {LOCATION_SQL} AS location, {IP_SQL} AS ip_address, "
        f"{UA_SQL} AS user_agent, e.duration_ms AS duration",
    ),
    "click": (
        "CLICK",
        "browser:json, location:json, ip_address, user_agent, duration:int, url, referer",
        f"{BROWSER_SQL} AS browser, {LOCATION_SQL} AS location, {IP_SQL} AS ip_address, "
        f"{UA_SQL} AS user_agent, CAST(NULL AS BIGINT) AS duration, {CLICK_URL} AS url, "
        "CASE WHEN e.ua_kind IN (0, 1, 5) THEN 'https://mail.google.com/' END AS referer",
    ),
    "status_change": (
        "STATUSCHANGE",
        "subscriptions:json, source, requested_by, bounced:bool",
        '\'[{"id": 8812301, "status": "UNSUBSCRIBED", "legalBasis": null}]\' '
        "AS subscriptions, e.status_source AS source, "
        "CASE WHEN e.status_source = 'SOURCE_RECIPIENT' THEN trim(c.email) END "
        "AS requested_by, e.bounced AS bounced",
    ),
    "spam_report": (
        "SPAMREPORT",
        "ip_address, user_agent",
        f"{IP_SQL} AS ip_address, {UA_SQL} AS user_agent",
    ),
    "print": (
        "PRINT",
        "browser:json, location:json, ip_address, user_agent",
        f"{BROWSER_SQL} AS browser, {LOCATION_SQL} AS location, {IP_SQL} AS ip_address, "
        f"{UA_SQL} AS user_agent",
    ),
    "forward": (
        "FORWARD",
        "browser:json, location:json, ip_address, user_agent",
        f"{BROWSER_SQL} AS browser, {LOCATION_SQL} AS location, {IP_SQL} AS ip_address, "
        f"{UA_SQL} AS user_agent",
    ),
}
EVENT_FROM = """FROM _world.hs_email_events e
JOIN _world.hs_email_campaigns k USING (email_campaign_idx)
JOIN _world.hs_contacts c USING (contact_idx)"""

ENGAGEMENT_DETAILS = {
    "CALL": (
        "call",
        "property_hs_call_title, property_hs_call_body, property_hs_call_direction, "
        "property_hs_call_disposition, property_hs_call_status, "
        "property_hs_call_duration",
        "'Call with ' || c.first_name AS property_hs_call_title, "
        "'Discussed premium onboarding and product fit.' AS property_hs_call_body, "
        + _pick(["OUTBOUND", "INBOUND"], "call_dir", "e.engagement_id")
        + " AS property_hs_call_direction, "
        + _pick(
            [
                "f240bbac-87c9-4f6e-bf70-924b57d47db7",
                "73a0d17f-1163-4015-bdd5-ec830791da20",
                "9d9162e7-6cf3-4944-bf63-4dff82258764",
            ],
            "call_disp",
            "e.engagement_id",
        )
        + " AS property_hs_call_disposition, 'COMPLETED' AS property_hs_call_status, "
        "CAST(CAST(60000 + floor(u01('call_len', e.engagement_id) * 1500000) AS BIGINT) "
        "AS VARCHAR) AS property_hs_call_duration",
    ),
    "EMAIL": (
        "email",
        "property_hs_email_subject, property_hs_email_text, "
        "property_hs_email_direction, property_hs_email_status",
        "'Your Finstack premium account' AS property_hs_email_subject, "
        "'Hi ' || c.first_name || ', following up on our conversation.' "
        "AS property_hs_email_text, "
        + _pick(["EMAIL", "INCOMING_EMAIL"], "em_dir", "e.engagement_id")
        + " AS property_hs_email_direction, 'SENT' AS property_hs_email_status",
    ),
    "MEETING": (
        "meeting",
        "property_hs_meeting_title, property_hs_meeting_body, "
        "property_hs_meeting_start_time:ts, property_hs_meeting_end_time:ts, "
        "property_hs_meeting_outcome",
        "'Premium onboarding: ' || c.first_name || ' ' || c.last_name "
        "AS property_hs_meeting_title, 'Portfolio review' AS property_hs_meeting_body, "
        "ts_of(e.ts_us) AS property_hs_meeting_start_time, "
        "ts_of(e.ts_us + 1800000000) AS property_hs_meeting_end_time, "
        + _pick(["COMPLETED", "SCHEDULED", "NO_SHOW", "RESCHEDULED"], "mt_out", "e.engagement_id")
        + " AS property_hs_meeting_outcome",
    ),
    "NOTE": (
        "note",
        "property_hs_note_body",
        "'<p>' || "
        + _pick(
            [
                "Prefers fixed notes.",
                "Asked about ISA transfer.",
                "Wants a call next quarter.",
                "KYC documents chased.",
            ],
            "note",
            "e.engagement_id",
        )
        + " || '</p>' AS property_hs_note_body",
    ),
    "TASK": (
        "task",
        "property_hs_task_subject, property_hs_task_body, property_hs_task_status, "
        "property_hs_task_priority, property_hs_task_type",
        _pick(
            ["Follow up", "Send ISA guide", "Chase KYC documents", "Book portfolio review"],
            "task",
            "e.engagement_id",
        )
        + " AS property_hs_task_subject, "
        "CAST(NULL AS VARCHAR) AS property_hs_task_body, "
        f"CASE WHEN e.ts_us + 3 * {US_PER_DAY} < {CUT} THEN 'COMPLETED' ELSE 'NOT_STARTED' END "
        "AS property_hs_task_status, "
        + _pick(["HIGH", "MEDIUM", "LOW", "NONE"], "task_pri", "e.engagement_id")
        + " AS property_hs_task_priority, "
        + _pick(["CALL", "EMAIL", "TODO"], "task_type", "e.engagement_id")
        + " AS property_hs_task_type",
    ),
}

PIPELINE_CREATED = "TIMESTAMPTZ '2019-09-02 09:00:00+00'"
_stage_values = (
    ", ".join(
        f"('{PIPELINE_ID}', '{sid}', '{label}', {i}, {prob})"
        for i, (sid, label, prob) in enumerate(PREMIUM_STAGES)
    )
    + ", "
    + ", ".join(
        f"('default', '{sid}', '{label}', {i}, {prob})"
        for i, (sid, label, prob) in enumerate(DEFAULT_STAGES)
    )
)
_owner_values = ", ".join(
    f"({oid}, '{f.lower()}.{ln.lower()}@finstack.co.uk', '{f}', '{ln}', {9_100_000 + i})"
    for i, (oid, f, ln, _) in enumerate(OWNERS)
)
_form_values = ", ".join(f"({i}, '{name}', '{path}')" for i, name, path in FORMS)
_list_values = ", ".join(f"({lid}, '{name}')" for lid, name in LISTS)

_deal_del = f"(d.deleted_arr_us >= 0 AND d.deleted_arr_us < {CUT})"
_comp_del = f"(co.deleted_arr_us >= 0 AND co.deleted_arr_us < {CUT})"
_eng_state = f"FROM _world.hs_engagements e WHERE e.arr_us < {CUT}"

register(
    RawTable(
        schema=SCHEMA,
        name="contact",
        mode="state",
        grain="contact (vid)",
        keys=["id"],
        description="Contacts, wide: one property_<name> column per property; the pivot of the "
        "property versions landed before the cut-off.",
        columns=CONTACT_COLUMNS,
        sql=CONTACT_SQL,
    ),
    RawTable(
        schema=SCHEMA,
        name="contact_property_history",
        mode="append",
        grain="contact x property x version",
        description="Every version of every tracked contact property (1-20 per contact x "
        "property; lifecycle regressions; ties on timestamp).",
        columns=cols(
            "contact_id:int, name, value, timestamp:ts, source, source_id, _fivetran_synced:ts"
        ),
        sql="""SELECT contact_id, name, value, ts_of(ts_us) AS timestamp, source, source_id,
                      ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
               FROM _world.hs_contact_history""",
    ),
    RawTable(
        schema=SCHEMA,
        name="company",
        mode="state",
        grain="company",
        keys=["id"],
        description="Companies (employers of premium prospects); 1% deleted.",
        columns=cols(
            "id:int, is_deleted:bool, _fivetran_deleted:bool, property_name, "
            "property_domain, property_industry, property_country, "
            "property_createdate:ts, _fivetran_synced:ts"
        ),
        sql=f"""SELECT co.company_id AS id, {_comp_del} AS is_deleted,
                       {_comp_del} AND co.fivetran_deleted AS _fivetran_deleted,
                       co.name AS property_name, co.domain AS property_domain,
                       co.industry AS property_industry, co.country AS property_country,
                       ts_of(co.created_us) AS property_createdate,
                       {_synced("co.arr_us", f"CASE WHEN {_comp_del} THEN co.deleted_arr_us ELSE -1 END")},
                       ts_of(greatest(co.arr_us, CASE WHEN {_comp_del} THEN co.deleted_arr_us
                                                 ELSE -1 END)) AS _arrival_at
                FROM _world.hs_companies co""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal",
        mode="state",
        grain="deal",
        keys=["deal_id"],
        description="Deals of the Premium onboarding pipeline, stage as of the cut-off.",
        columns=cols(
            "deal_id:int, deal_pipeline_id, deal_pipeline_stage_id, owner_id:int, "
            "portal_id:int, is_deleted:bool, _fivetran_deleted:bool, property_dealname, "
            "property_amount, property_closedate:ts, property_createdate:ts, "
            "_fivetran_synced:ts"
        ),
        sql=f"""WITH s AS (
                    SELECT deal_idx, arg_max(value, entered_us) AS stage,
                           max(entered_us) AS stage_us, max(arr_us) AS last_arr
                    FROM _world.hs_deal_stages WHERE arr_us < {CUT} GROUP BY deal_idx)
                SELECT d.deal_id, '{PIPELINE_ID}' AS deal_pipeline_id,
                       s.stage AS deal_pipeline_stage_id, d.owner_id, {PORTAL_ID} AS portal_id,
                       {_deal_del} AND NOT d.is_merged_loser AS is_deleted,
                       {_deal_del} AND d.fivetran_deleted AS _fivetran_deleted,
                       d.name AS property_dealname, CAST(d.amount AS VARCHAR) AS property_amount,
                       CASE WHEN s.stage IN ('{PREMIUM_STAGES[3][0]}', '{PREMIUM_STAGES[4][0]}')
                            THEN ts_of(s.stage_us) END AS property_closedate,
                       ts_of(d.created_us) AS property_createdate,
                       {_synced("s.last_arr", f"CASE WHEN {_deal_del} THEN d.deleted_arr_us ELSE -1 END")},
                       ts_of(greatest(s.last_arr, CASE WHEN {_deal_del} THEN d.deleted_arr_us
                                                  ELSE -1 END)) AS _arrival_at
                FROM _world.hs_deals d JOIN s USING (deal_idx)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal_pipeline",
        mode="state",
        grain="pipeline",
        keys=["pipeline_id"],
        description="Deal pipelines: the default Sales Pipeline and Premium onboarding.",
        columns=cols(
            "pipeline_id, label, display_order:int, active:bool, created_at:ts, "
            "updated_at:ts, _fivetran_deleted:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT pipeline_id, label, display_order, true AS active,
                       {PIPELINE_CREATED} AS created_at, {PIPELINE_CREATED} AS updated_at,
                       false AS _fivetran_deleted,
                       {PIPELINE_CREATED} + INTERVAL 20 MINUTE AS _fivetran_synced,
                       {PIPELINE_CREATED} + INTERVAL 20 MINUTE AS _arrival_at
                FROM (VALUES ('default', 'Sales Pipeline', 0),
                             ('{PIPELINE_ID}', 'Premium onboarding', 1))
                     t(pipeline_id, label, display_order)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal_pipeline_stage",
        mode="state",
        grain="pipeline stage",
        keys=["stage_id"],
        description="Stages of the deal pipelines with their win probability.",
        columns=cols(
            "stage_id, pipeline_id, label, display_order:int, probability:float, "
            "active:bool, created_at:ts, updated_at:ts, _fivetran_deleted:bool, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT stage_id, pipeline_id, label, display_order, probability, true AS active,
                       {PIPELINE_CREATED} AS created_at, {PIPELINE_CREATED} AS updated_at,
                       false AS _fivetran_deleted,
                       {PIPELINE_CREATED} + INTERVAL 20 MINUTE AS _fivetran_synced,
                       {PIPELINE_CREATED} + INTERVAL 20 MINUTE AS _arrival_at
                FROM (VALUES {_stage_values})
                     t(pipeline_id, stage_id, label, display_order, probability)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal_stage",
        mode="state",
        grain="deal x stage entered",
        keys=["deal_id", "_fivetran_start"],
        description="History of deal stages (Fivetran history mode).",
        columns=cols(
            "deal_id:int, value, date_entered:ts, source, source_id, _fivetran_start:ts, "
            "_fivetran_end:ts, _fivetran_active:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT deal_id, value, ts_of(entered_us) AS date_entered, source,
                       CASE WHEN source = 'CRM_UI' THEN 'userId:31000001' ELSE 'workflow:3301'
                       END AS source_id,
                       ts_of(arr_us) AS _fivetran_start,
                       coalesce(ts_of(lead(arr_us) OVER w - 1000),
                                TIMESTAMPTZ '9999-12-31 23:59:59.999+00') AS _fivetran_end,
                       lead(arr_us) OVER w IS NULL AS _fivetran_active,
                       ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
                FROM _world.hs_deal_stages WHERE arr_us < {CUT}
                WINDOW w AS (PARTITION BY deal_idx ORDER BY entered_us, arr_us)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal_contact",
        mode="state",
        grain="deal x contact",
        keys=["deal_id", "contact_id"],
        description="Deal to contact associations.",
        columns=cols("deal_id:int, contact_id:int, type_id:int, category, _fivetran_synced:ts"),
        sql="""SELECT deal_id, contact_id, 3 AS type_id, 'HUBSPOT_DEFINED' AS category,
                      ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
               FROM _world.hs_deals""",
    ),
    RawTable(
        schema=SCHEMA,
        name="deal_company",
        mode="state",
        grain="deal x company",
        keys=["deal_id", "company_id"],
        description="Deal to company associations.",
        columns=cols("deal_id:int, company_id:int, type_id:int, category, _fivetran_synced:ts"),
        sql="""SELECT deal_id, company_id, 5 AS type_id, 'HUBSPOT_DEFINED' AS category,
                      ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
               FROM _world.hs_deal_companies""",
    ),
    RawTable(
        schema=SCHEMA,
        name="merged_deal",
        mode="state",
        grain="merged deal",
        keys=["merged_deal_id"],
        description="Deals merged into another deal.",
        columns=cols("deal_id:int, merged_deal_id:int, type_id:int, category, _fivetran_synced:ts"),
        sql="""SELECT deal_id, merged_deal_id, CAST(NULL AS BIGINT) AS type_id,
                      'HUBSPOT_DEFINED' AS category,
                      ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
               FROM _world.hs_merged_deals""",
    ),
    RawTable(
        schema=SCHEMA,
        name="owner",
        mode="state",
        grain="owner",
        keys=["owner_id"],
        description="Sales and customer-success owners.",
        columns=cols(
            "owner_id:int, email, first_name, last_name, type, active_user_id:int, "
            "created_at:ts, updated_at:ts, _fivetran_deleted:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT owner_id, email, first_name, last_name, 'PERSON' AS type, active_user_id,
                       {PIPELINE_CREATED} AS created_at,
                       {PIPELINE_CREATED} + INTERVAL 3 DAY AS updated_at,
                       false AS _fivetran_deleted,
                       {PIPELINE_CREATED} + INTERVAL 3 DAY AS _fivetran_synced,
                       {PIPELINE_CREATED} + INTERVAL 3 DAY AS _arrival_at
                FROM (VALUES {_owner_values})
                     t(owner_id, email, first_name, last_name, active_user_id)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="engagement",
        mode="state",
        grain="engagement",
        keys=["id"],
        description="Engagements (calls, emails, meetings, notes, tasks).",
        columns=cols(
            "id:int, type, portal_id:int, active:bool, created_at:ts, "
            "_fivetran_deleted:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT e.engagement_id AS id, e.type, {PORTAL_ID} AS portal_id, true AS active,
                       ts_of(e.created_us) AS created_at, false AS _fivetran_deleted,
                       ts_of(e.arr_us) AS _fivetran_synced, ts_of(e.arr_us) AS _arrival_at
                {_eng_state}""",
    ),
    RawTable(
        schema=SCHEMA,
        name="engagement_contact",
        mode="state",
        grain="engagement x contact",
        keys=["engagement_id", "contact_id"],
        description="Engagement to contact associations.",
        columns=cols("engagement_id:int, contact_id:int, _fivetran_synced:ts"),
        sql=f"""SELECT e.engagement_id, e.contact_id, ts_of(e.arr_us) AS _fivetran_synced,
                       ts_of(e.arr_us) AS _arrival_at {_eng_state}""",
    ),
    RawTable(
        schema=SCHEMA,
        name="engagement_deal",
        mode="state",
        grain="engagement x deal",
        keys=["engagement_id", "deal_id"],
        description="Engagement to deal associations.",
        columns=cols("engagement_id:int, deal_id:int, _fivetran_synced:ts"),
        sql=f"""SELECT e.engagement_id, e.deal_id, ts_of(e.arr_us) AS _fivetran_synced,
                       ts_of(e.arr_us) AS _arrival_at {_eng_state} AND e.deal_id >= 0""",
    ),
    *[
        RawTable(
            schema=SCHEMA,
            name=f"engagement_{suffix}",
            mode="state",
            grain="engagement",
            keys=["engagement_id"],
            description=f"{typ.title()} engagements and their properties.",
            columns=cols(
                "engagement_id:int, type, property_hs_timestamp:ts, "
                "property_hs_createdate:ts, property_hubspot_owner_id, "
                + spec
                + ", _fivetran_synced:ts"
            ),
            sql=f"""SELECT e.engagement_id, e.type, ts_of(e.ts_us) AS property_hs_timestamp,
                           ts_of(e.created_us) AS property_hs_createdate,
                           CAST(e.owner_id AS VARCHAR) AS property_hubspot_owner_id, {select},
                           ts_of(e.arr_us) AS _fivetran_synced, ts_of(e.arr_us) AS _arrival_at
                    FROM _world.hs_engagements e JOIN _world.hs_contacts c USING (contact_id)
                    WHERE e.arr_us < {CUT} AND e.type = '{typ}'""",
        )
        for typ, (suffix, spec, select) in ENGAGEMENT_DETAILS.items()
    ],
    RawTable(
        schema=SCHEMA,
        name="email_campaign",
        mode="state",
        grain="email campaign",
        keys=["id"],
        description="Marketing emails: weekly batch newsletters and automated emails.",
        columns=cols(
            "id:int, app_id:int, app_name, content_id:int, name, subject, type, "
            "num_included:int, _fivetran_synced:ts"
        ),
        sql="""SELECT campaign_id AS id, app_id, app_name, content_id, name, subject, type,
                      num_included, ts_of(arr_us) AS _fivetran_synced, ts_of(arr_us) AS _arrival_at
               FROM _world.hs_email_campaigns""",
    ),
    RawTable(
        schema=SCHEMA,
        name="email_event",
        mode="append",
        grain="email event",
        keys=["id"],
        description="Email events: SENT, PROCESSED, DELIVERED, OPEN, CLICK, BOUNCE, STATUSCHANGE...",
        columns=cols(
            "id, type, created:ts, recipient, email_campaign_id:int, portal_id:int, "
            "app_id:int, sent_by_id, sent_by_created:ts, caused_by_id, obsoleted_by_id, "
            "filtered_event:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT e.event_uuid AS id, e.type, ts_of(e.created_us) AS created,
                       trim(c.email) AS recipient, k.campaign_id AS email_campaign_id,
                       {PORTAL_ID} AS portal_id, k.app_id,
                       e.sent_by_uuid AS sent_by_id, ts_of(e.sent_us) AS sent_by_created,
                       e.caused_by_uuid AS caused_by_id, e.obsoleted_by_uuid AS obsoleted_by_id,
                       e.filtered AS filtered_event,
                       ts_of(e.arr_us) AS _fivetran_synced, ts_of(e.arr_us) AS _arrival_at
                {EVENT_FROM}""",
    ),
    *[
        RawTable(
            schema=SCHEMA,
            name=f"email_event_{suffix}",
            mode="append",
            grain="email event",
            keys=["id"],
            description=f"Details of {typ} email events.",
            columns=cols("id, " + (spec + ", " if spec else "") + "_fivetran_synced:ts"),
            sql=f"""SELECT e.event_uuid AS id, {select + "," if select else ""}
                           ts_of(e.arr_us) AS _fivetran_synced, ts_of(e.arr_us) AS _arrival_at
                    {EVENT_FROM}
                    WHERE e.type = '{typ}'""",
        )
        for suffix, (typ, spec, select) in EVENT_CHILDREN.items()
    ],
    RawTable(
        schema=SCHEMA,
        name="contact_list",
        mode="state",
        grain="contact list",
        keys=["id"],
        description="Contact lists (static and dynamic).",
        columns=cols(
            "id:int, name, list_version:int, created_at:ts, updated_at:ts, "
            "_fivetran_deleted:bool, _fivetran_synced:ts"
        ),
        sql=f"""WITH m AS (SELECT contact_list_id AS id, count(*) AS n, max(added_us) AS last_add,
                                  max(arr_us) AS last_arr
                           FROM _world.hs_list_members WHERE arr_us < {CUT} GROUP BY 1)
                SELECT l.id, l.name, 1 + coalesce(m.n, 0) // 50 AS list_version,
                       {PIPELINE_CREATED} + INTERVAL 30 DAY * l.id AS created_at,
                       coalesce(ts_of(m.last_add), {PIPELINE_CREATED} + INTERVAL 30 DAY * l.id)
                           AS updated_at,
                       false AS _fivetran_deleted,
                       coalesce(ts_of(m.last_arr), {PIPELINE_CREATED} + INTERVAL 30 DAY * l.id)
                           AS _fivetran_synced,
                       coalesce(ts_of(m.last_arr), {PIPELINE_CREATED} + INTERVAL 30 DAY * l.id)
                           AS _arrival_at
                FROM (VALUES {_list_values}) l(id, name) LEFT JOIN m USING (id)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="contact_list_member",
        mode="state",
        grain="list x contact",
        keys=["contact_list_id", "contact_id"],
        description="Members of contact lists.",
        columns=cols(
            "contact_list_id:int, contact_id:int, added_at:ts, _fivetran_deleted:bool, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT contact_list_id, contact_id, ts_of(added_us) AS added_at,
                       (deleted_arr_us >= 0 AND deleted_arr_us < {CUT}) AS _fivetran_deleted,
                       ts_of(CASE WHEN deleted_arr_us >= 0 AND deleted_arr_us < {CUT}
                                  THEN greatest(deleted_arr_us, arr_us) ELSE arr_us END)
                           AS _fivetran_synced,
                       ts_of(CASE WHEN deleted_arr_us >= 0 AND deleted_arr_us < {CUT}
                                  THEN greatest(deleted_arr_us, arr_us) ELSE arr_us END)
                           AS _arrival_at
                FROM _world.hs_list_members""",
    ),
    RawTable(
        schema=SCHEMA,
        name="form",
        mode="state",
        grain="form",
        keys=["guid"],
        description="HubSpot forms on the website.",
        columns=cols(
            "guid, name, form_type, created_at:ts, updated_at:ts, "
            "_fivetran_deleted:bool, _fivetran_synced:ts"
        ),
        sql=f"""SELECT uuid_of('hsform', idx) AS guid, name, 'HUBSPOT' AS form_type,
                       {PIPELINE_CREATED} + INTERVAL 7 DAY * idx AS created_at,
                       {PIPELINE_CREATED} + INTERVAL 7 DAY * idx AS updated_at,
                       false AS _fivetran_deleted,
                       {PIPELINE_CREATED} + INTERVAL 7 DAY * idx AS _fivetran_synced,
                       {PIPELINE_CREATED} + INTERVAL 7 DAY * idx AS _arrival_at
                FROM (VALUES {_form_values}) t(idx, name, path)""",
    ),
    RawTable(
        schema=SCHEMA,
        name="contact_form_submission",
        mode="append",
        grain="form submission",
        keys=["conversion_id"],
        description="Form submissions of contacts (newsletter, contact us, callback, webinar).",
        columns=cols(
            "contact_id:int, form_id, conversion_id, page_url, title, timestamp:ts, "
            "_fivetran_synced:ts"
        ),
        sql=f"""SELECT s.contact_id, uuid_of('hsform', s.form_idx) AS form_id,
                       uuid_of('hsconv', s.submission_idx) AS conversion_id,
                       'https://www.finstack.co.uk' || f.path AS page_url,
                       f.name || ' | Finstack' AS title, ts_of(s.ts_us) AS timestamp,
                       ts_of(s.arr_us) AS _fivetran_synced, ts_of(s.arr_us) AS _arrival_at
                FROM _world.hs_form_submissions s
                JOIN (VALUES {_form_values}) f(form_idx, name, path) USING (form_idx)""",
    ),
)

"""The app's MySQL database, landed by Fivetran's MySQL connector (raw-sources.md §2).

``simulate`` builds the app's side of the world on top of the core ``users``:
each user's home currency and accounts, deposits and what each deposit's money
becomes (investments, withdrawals, card refunds, FX conversions), investment
lifecycles with monthly interest and fees, referral rewards, deletions and GDPR
erasures. Money is double entry. A customer's cash balance never goes negative
by construction: each completed deposit is a "chain" whose uses (invested +
withdrawn + refunded + converted) never exceed it and all happen after it
posts; principal returned by an investment is the only source of a proceeds
withdrawal; interest is credited before its fee is debited.

The raw tables are DuckDB projections of those frames. State tables (users,
accounts, products, product_rates, investments, transactions, referrals,
erasure_requests, currencies) show each row as of the delivery cut-off;
``ledger_entries`` and ``fx_rates`` are append-only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from finstack.generator.config import (
    PRODUCT_LAUNCH,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Defect,
    Window,
    defect_count,
    register_defects,
)
from finstack.generator.tables import RawTable, cols, register
from finstack.generator.world import NEVER, World

SCHEMA = "app_mysql"

register_defects(
    Defect(
        "app_stale_updated_at",
        "app_mysql",
        "status changed by a batch job without bumping updated_at (transactions, investments)",
        0.02,
        "status updates",
    ),
    Defect(
        "app_rate_history_gaps",
        "app_mysql",
        "product_rates intervals that overlap (one product) or leave a gap (another)",
        0.2,
        "products",
    ),
    Defect(
        "app_enum_drift",
        "app_mysql",
        "transactions.type 'cashback' appears only after mid-history (referral rewards; "
        "'adjustment' before)",
        1.0,
        "new enum values",
    ),
    Defect(
        "app_card_refunds",
        "app_mysql",
        "card deposits refunded 1-120 days later, fully or partially (type refund)",
        0.02,
        "completed card deposits",
    ),
)

# ----------------------------------------------------------------------------- catalogues

# code, name, ISO exponent, enabled for app accounts
CURRENCIES = [
    ("GBP", "Pound sterling", 2, True),
    ("EUR", "Euro", 2, True),
    ("USD", "US dollar", 2, True),
    ("CHF", "Swiss franc", 2, False),
    ("JPY", "Japanese yen", 0, False),
    ("KRW", "South Korean won", 0, False),
    ("KWD", "Kuwaiti dinar", 3, False),
    ("BHD", "Bahraini dinar", 3, False),
    ("ISK", "Icelandic krona", 0, False),
]
ACCOUNT_CURRENCIES = ["GBP", "EUR", "USD"]
# GBP -> quote: starting level and daily volatility of the random walk
FX_START = {
    "EUR": (1.17, 0.004),
    "USD": (1.27, 0.005),
    "CHF": (1.12, 0.004),
    "JPY": (190.0, 0.006),
    "KRW": (1720.0, 0.005),
    "KWD": (0.39, 0.005),
    "BHD": (0.478, 0.005),
    "ISK": (176.0, 0.005),
}
FX_QUOTES = list(FX_START)
PLATFORM_TYPES = ["platform_clearing", "platform_fees", "platform_interest", "platform_fx"]

# fmt: off
# code, name, type, currency, term days, notice days, risk band, min, max (minor, -1 none),
# ISA eligible, launch (fraction of the simulated span after the window start; None = years
# before), retired (days before the window start; None = still sold), weight among products of its currency, initial rate bps
PRODUCTS = [
    ("LP-A-GBP", "Lending Pool A", "p2p_loan_pool", "GBP", -1, -1, "A", 1_000, 10_000_000, True, None, None, 0.22, 520),
    ("LP-C-GBP", "Lending Pool C", "p2p_loan_pool", "GBP", -1, -1, "C", 1_000, 5_000_000, True, None, None, 0.15, 790),
    ("FTN-12M-GBP", "12-month Fixed Note", "fixed_term_note", "GBP", 365, -1, None, 5_000, -1, True, None, None, 0.15, 610),
    ("FTN-3M-GBP", "3-month Fixed Note", "fixed_term_note", "GBP", 91, -1, None, 5_000, -1, False, None, None, 0.10, 480),
    ("EAC-GBP", "Easy Access Cash", "cash_easy_access", "GBP", -1, -1, None, 100, -1, True, None, None, 0.20, 410),
    ("N30-GBP", "30-day Notice Cash", "cash_notice", "GBP", -1, 30, None, 100, -1, False, None, None, 0.10, 455),
    ("EAC-EUR", "Easy Access Cash (EUR)", "cash_easy_access", "EUR", -1, -1, None, 100, -1, False, None, None, 1.0, 260),
    ("FTN-6M-USD", "6-month Fixed Note (USD)", "fixed_term_note", "USD", 182, -1, None, 5_000, -1, False, None, None, 1.0, 430),
    ("LP-E-GBP", "Lending Pool E", "p2p_loan_pool", "GBP", -1, -1, "E", 1_000, 2_000_000, False, 0.35, None, 0.08, 1120),
    ("FTN-24M-GBP", "24-month Fixed Note (legacy)", "fixed_term_note", "GBP", 730, -1, None, 50_000, -1, True, None, 400, 0.0, 700),
]
# fmt: on
PRODUCT_COLUMNS = [
    "code",
    "name",
    "product_type",
    "currency",
    "term_days",
    "notice_days",
    "risk_band",
    "min_investment_minor",
    "max_investment_minor",
    "is_isa_eligible",
    "launch_frac",
    "retired_days_before",
    "weight",
    "initial_rate_bps",
]
# products whose rate history is broken on purpose: overlap, gap
RATE_OVERLAP_CODE, RATE_GAP_CODE = "LP-C-GBP", "EAC-GBP"

# home currency of a user's cash account, for GB and other countries (GBP 85% EUR 10% USD 5%)
HOME_MIX_GB = [0.96, 0.01, 0.03]
HOME_MIX_OTHER = [0.42, 0.48, 0.10]
DEPOSIT_METHODS = ["card", "bank_transfer", "open_banking"]
DEPOSIT_METHOD_MIX = [0.60, 0.30, 0.10]
DEPOSIT_FAIL_RATE = [0.04, 0.005, 0.02]  # by method, not for first deposits
REFERRAL_REWARD_MINOR = 5_000
LOAN_POOL_FEE_SHARE = 0.10  # servicing fee: share of each loan-pool interest payment
# every use of a deposit's money starts at least this long after the deposit posts, so a
# midnight-straddle posting delay (at most ~2 h) can never make a cash balance dip
MIN_USE_GAP = 3 * US_PER_HOUR
HOUR_WEIGHTS = np.array(
    [2, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 8, 9, 8, 7, 7, 8, 9, 10, 11, 11, 10, 7, 4], dtype=float
)

# transactions.type values; 'cashback' is the enum drift (only after mid-history)
TXN_TYPES = [
    "deposit",
    "withdrawal",
    "investment",
    "divestment",
    "interest",
    "principal_repayment",
    "fee",
    "fx_conversion",
    "refund",
    "adjustment",
    "reversal",
    "cashback",
]


# ----------------------------------------------------------------------------- helpers


def _diurnal(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Move instants to a time of day drawn from the app's hourly activity profile,
    keeping the day; the caller re-checks lower bounds."""
    day = t - t % US_PER_DAY
    h = rng.choice(24, size=len(t), p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return day + h * US_PER_HOUR + rng.integers(0, US_PER_HOUR, size=len(t))


def _batch_time(rng: np.random.Generator, t: np.ndarray, hour: int = 2) -> np.ndarray:
    """The nightly batch run at ``hour`` UTC on the day of ``t`` (spread over 30 minutes)."""
    return (
        t - t % US_PER_DAY + hour * US_PER_HOUR + rng.integers(0, 30 * US_PER_MINUTE, size=len(t))
    )


def _exp_days(rng: np.random.Generator, mean_days: float, n: int) -> np.ndarray:
    return (rng.exponential(mean_days, size=n) * US_PER_DAY).astype(np.int64)


def _round_to(x: np.ndarray, step: int) -> np.ndarray:
    return (np.round(x / step) * step).astype(np.int64)


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` distinct members of ``pool`` (all of it when it is smaller)."""
    return rng.choice(pool, size=min(k, len(pool)), replace=False) if len(pool) else pool


def uk_bank_holidays(year: int) -> set[dt.date]:
    """England and Wales bank holidays (the FX rate publisher's calendar); the one-off royal
    holidays are left out."""
    # anonymous Gregorian algorithm for Easter Sunday
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    easter = dt.date(year, month, day)

    def first_monday(month: int) -> dt.date:
        d0 = dt.date(year, month, 1)
        return d0 + dt.timedelta(days=(7 - d0.weekday()) % 7)

    def last_monday(month: int) -> dt.date:
        d0 = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        return d0 - dt.timedelta(days=d0.weekday())

    def substitute(d0: dt.date, taken: set[dt.date]) -> dt.date:
        while d0.weekday() >= 5 or d0 in taken:
            d0 += dt.timedelta(days=1)
        return d0

    out = {
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        first_monday(5),
        last_monday(5),
        last_monday(8),
    }
    out.add(substitute(dt.date(year, 1, 1), set()))
    christmas = substitute(dt.date(year, 12, 25), set())
    out.add(christmas)
    out.add(substitute(dt.date(year, 12, 26), {christmas}))
    return out


# ----------------------------------------------------------------------------- catalogue frames


def _build_products(world: World) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Products and their rate history (clean schedule plus two broken products)."""
    rng = world.rng("app_products")
    win = world.window
    span = win.horizon_us - win.start_us
    p = pd.DataFrame(PRODUCTS, columns=PRODUCT_COLUMNS)
    p.insert(0, "product_idx", np.arange(1, len(p) + 1, dtype=np.int64))
    launch_base = Window.day_us(PRODUCT_LAUNCH)
    n = len(p)
    # catalogue products launched in the first years; one new product mid-window
    launched = launch_base + rng.integers(0, 400, size=n) * US_PER_DAY
    new = p.launch_frac.notna().to_numpy()
    launched[new] = win.start_us + (p.launch_frac.fillna(0).to_numpy()[new] * span).astype(np.int64)
    launched = launched - launched % US_PER_DAY + 9 * US_PER_HOUR
    retired = np.full(n, NEVER, dtype=np.int64)
    old = p.retired_days_before.notna().to_numpy()
    retired[old] = win.start_us - (p.retired_days_before.to_numpy()[old] * US_PER_DAY).astype(
        np.int64
    )
    p["launched_us"] = launched
    p["retired_us"] = retired
    p["created_us"] = launched - 14 * US_PER_DAY
    p["risk_band"] = p.risk_band.astype(object).where(p.risk_band.notna(), None)

    # rate versions: one at launch, a change every ~4 months before the window and ~2 months in it
    rows = []
    for j in range(n):  # catalogue of ten products
        t, rate = int(launched[j]), int(p.initial_rate_bps[j])
        end = int(retired[j]) if retired[j] >= 0 else win.horizon_us
        while t < end:
            rows.append((j, t, rate))
            gap_days = rng.exponential(120.0 if t < win.start_us else 55.0) + 10
            t = t + int(gap_days * US_PER_DAY)
            t = t - t % US_PER_DAY  # rate changes take effect at midnight
            # moves around the product's level (base rate moves), in 5 bp steps
            rate = max(50, int(p.initial_rate_bps[j]) + int(rng.normal(0, 40) / 5) * 5)
    r = pd.DataFrame(rows, columns=["row", "valid_from_us", "annual_rate_bps"])
    r["product_idx"] = p.product_idx.to_numpy()[r.row]
    nxt = r.groupby("row").valid_from_us.shift(-1)
    clean_to = nxt.fillna(NEVER).astype(np.int64).to_numpy()
    # announced a few days before taking effect; the previous version is closed then
    r["created_us"] = r.valid_from_us - rng.integers(1, 15, size=len(r)) * US_PER_DAY
    r.loc[r.valid_from_us == launched[r.row], "created_us"] = p.created_us.to_numpy()[r.row][
        r.valid_from_us == launched[r.row]
    ]
    r["valid_to_set_us"] = r.groupby("row").created_us.shift(-1).fillna(NEVER).astype(np.int64)
    valid_to = clean_to.copy()
    # defects: the last interval that closed before the window overlaps / leaves a gap
    for code, shift_days in ((RATE_OVERLAP_CODE, 3), (RATE_GAP_CODE, -2)):
        j = int(np.flatnonzero(p.code.to_numpy() == code)[0])
        cand = np.flatnonzero((r.row.to_numpy() == j) & (clean_to >= 0) & (clean_to < win.start_us))
        k = cand[-1] if len(cand) else np.flatnonzero((r.row.to_numpy() == j) & (clean_to >= 0))[0]
        valid_to[k] = clean_to[k] + shift_days * US_PER_DAY
    r["valid_to_us"] = valid_to
    r["clean_valid_to_us"] = clean_to
    r = r.sort_values(["created_us", "product_idx"]).reset_index(drop=True)
    r.insert(0, "rate_idx", np.arange(1, len(r) + 1, dtype=np.int64))
    r = r.drop(columns="row")
    p = p.drop(columns=["launch_frac", "retired_days_before"])
    # the rate in force at the end date (the raw table derives it per cut-off in SQL)
    p = p.rename(columns={"initial_rate_bps": "launch_rate_bps"})
    last = (
        r.loc[r.valid_from_us < win.end_us]
        .sort_values("valid_from_us")
        .groupby("product_idx")
        .annual_rate_bps.last()
    )
    p["annual_rate_bps"] = p.product_idx.map(last).fillna(p.launch_rate_bps).astype(np.int64)
    return p, r


def _build_fx(world: World) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Daily GBP-based rates on business days (no weekends, no bank holidays).

    Returns the frame plus a per-calendar-day matrix of the rate in force (last
    published rate), used to price FX conversions."""
    rng = world.rng("app_fx")
    win = world.window
    first = win.start_date - dt.timedelta(days=10)
    days = pd.date_range(first, win.horizon_date, freq="D")
    hol = set().union(*(uk_bank_holidays(y) for y in range(first.year, win.horizon_date.year + 1)))
    is_bd = np.array([d.weekday() < 5 and d.date() not in hol for d in days])
    nd = len(days)
    levels = np.empty((nd, len(FX_QUOTES)))
    for q, (start, vol) in enumerate(FX_START.values()):
        steps = rng.normal(0.0, vol, size=nd) * is_bd
        levels[:, q] = start * np.exp(np.cumsum(steps))
    # the Bahraini dinar is pegged to the dollar
    levels[:, FX_QUOTES.index("BHD")] = levels[:, FX_QUOTES.index("USD")] * 0.376
    day_us = np.array([Window.day_us(d.date()) for d in days], dtype=np.int64)
    bd = np.flatnonzero(is_bd)
    frame = pd.DataFrame(
        {
            "rate_date_us": np.repeat(day_us[bd], len(FX_QUOTES)),
            "base_currency": "GBP",
            "quote_currency": np.tile(FX_QUOTES, len(bd)),
            "rate": np.round(levels[bd].ravel(), 6),
        }
    )
    # published in the late afternoon of the day it is for
    frame["created_us"] = (
        frame.rate_date_us + 16 * US_PER_HOUR + rng.integers(0, 20 * US_PER_MINUTE, size=len(frame))
    )
    frame.insert(0, "fx_idx", np.arange(1, len(frame) + 1, dtype=np.int64))
    # rate in force on each calendar day: last business day's (weekends use Friday's)
    last_bd = np.maximum.accumulate(np.where(is_bd, np.arange(nd), 0))
    return frame, day_us[0], levels[last_bd]


def _currencies_frame() -> pd.DataFrame:
    return pd.DataFrame(CURRENCIES, columns=["code", "name", "minor_unit", "is_enabled"])


# ----------------------------------------------------------------------------- users


def _build_app_users(world: World) -> pd.DataFrame:
    """App-side attributes of each user: home currency, e-mail verification, deletions,
    suspension and closure, HubSpot contact id. One row per ``users`` row, same order."""
    rng = world.rng("app_users")
    win = world.window
    u = world["users"]
    m = len(u)
    uid = u.app_user_id.to_numpy()
    signup = u.signup_us.to_numpy()
    depositor = u.first_deposit_us.to_numpy() >= 0
    landed = signup < win.end_us
    n_landed = int(landed.sum())

    gb = u.country_code.to_numpy() == "GB"
    draw = rng.random(m)
    cum_gb, cum_other = np.cumsum(HOME_MIX_GB), np.cumsum(HOME_MIX_OTHER)
    home = np.where(
        gb,
        np.searchsorted(cum_gb, draw, side="right"),
        np.searchsorted(cum_other, draw, side="right"),
    )
    home = np.minimum(home, 2)
    currency = np.array(ACCOUNT_CURRENCIES)[home]

    # e-mail verified minutes after sign-up (always before KYC); 25% of the others never
    kyc = u.kyc_submitted_us.to_numpy()
    verified = signup + rng.integers(1 * US_PER_MINUTE, 30 * US_PER_MINUTE, size=m)
    verified = np.where(
        kyc >= 0,
        np.minimum(verified, kyc - US_PER_SECOND),
        np.where(rng.random(m) < 0.75, verified, NEVER),
    )
    verified[verified >= win.horizon_us] = NEVER
    # MySQL zero dates: a verified user whose value landed as NULL
    zero_pool = np.flatnonzero(landed & (kyc >= 0) & (kyc < win.end_us))
    zero_date = np.zeros(m, dtype=bool)
    zero_date[_pick(rng, zero_pool, defect_count("app_zero_dates", n_landed))] = True

    # deletions and closures only hit users who never deposited (no money to settle),
    # and happen before the first delivery's cut-off so their rate is measurable
    def when(idx: np.ndarray) -> np.ndarray:
        return signup[idx] + (
            rng.uniform(0.1, 0.95, size=len(idx)) * (win.end_us - signup[idx])
        ).astype(np.int64)

    free = landed & ~depositor & (signup < win.end_us - US_PER_DAY)
    hard = _pick(rng, np.flatnonzero(free), defect_count("app_hard_delete", n_landed))
    free[hard] = False
    soft = _pick(rng, np.flatnonzero(free), defect_count("app_soft_delete", n_landed))
    free[soft] = False
    hard_us = np.full(m, NEVER, dtype=np.int64)
    hard_us[hard] = when(hard)
    soft_us = np.full(m, NEVER, dtype=np.int64)
    soft_us[soft] = when(soft)
    # plain closures and suspensions (status only)
    closed_us = soft_us.copy()
    plain = _pick(rng, np.flatnonzero(free), round(0.01 * n_landed))
    free[plain] = False
    closed_us[plain] = when(plain)
    suspended_us = np.full(m, NEVER, dtype=np.int64)
    susp = _pick(rng, np.flatnonzero(free), max(2, round(0.003 * n_landed)))
    free[susp] = False
    suspended_us[susp] = when(susp)

    # HubSpot: contact 1000000 + id; 3% still point at the contact merged away
    stale = rng.random(m) < 0.03
    hubspot_id = np.where(stale, 5_000_000 + uid, 1_000_000 + uid)

    return pd.DataFrame(
        {
            "app_user_id": uid,
            "person_idx": u.person_idx.to_numpy(),
            "currency": currency,
            "email_verified_us": verified,
            "email_verified_zero_date": zero_date,
            "soft_deleted_us": soft_us,
            "hard_deleted_us": hard_us,
            "closed_us": closed_us,
            "suspended_us": suspended_us,
            "hubspot_contact_id": hubspot_id.astype(np.int64),
            "hubspot_contact_merged": stale,
            # filled in by the money simulation and the referrals
            "first_card_deposit_us": np.full(m, NEVER, dtype=np.int64),
            "referred_by_app_user_id": np.full(m, NEVER, dtype=np.int64),
            "erased_us": np.full(m, NEVER, dtype=np.int64),
            "marketing_erased_us": np.full(m, NEVER, dtype=np.int64),
            # still free for erasures
            "_free": free,
        }
    )


def _build_erasures(world: World, au: pd.DataFrame) -> pd.DataFrame:
    """GDPR erasure requests (0.3% of users): mostly full scope, completed within days.
    Full erasures close the user; PII is nulled in ``users`` once completed."""
    rng = world.rng("app_erasures")
    win = world.window
    u = world["users"]
    signup = u.signup_us.to_numpy()
    n_landed = int((signup < win.end_us).sum())
    # people who never put money in (nothing the firm must keep)
    pool = np.flatnonzero(au._free.to_numpy() & (signup < win.end_us - 4 * US_PER_DAY))
    who = np.sort(_pick(rng, pool, defect_count("erasure", n_landed)))
    k = len(who)
    requested = (
        signup[who]
        + US_PER_DAY
        + (rng.uniform(0, 1, size=k) * (win.end_us - 3 * US_PER_DAY - signup[who])).astype(np.int64)
    )
    scope = np.where(rng.random(k) < 0.85, "full", "marketing_only")
    outcome = rng.choice(3, size=k, p=[0.90, 0.05, 0.05])  # completed, rejected, still open
    decided = requested + (rng.uniform(0.5, 10.0, size=k) * US_PER_DAY).astype(np.int64)
    decided[decided >= win.horizon_us] = NEVER
    completed = np.where((outcome == 0) & (decided >= 0), decided, NEVER)
    rejected = np.where((outcome == 1) & (decided >= 0), decided, NEVER)
    status = np.select([completed >= 0, rejected >= 0], ["completed", "rejected"], "received")
    e = (
        pd.DataFrame(
            {
                "person_idx": u.person_idx.to_numpy()[who],
                "app_user_id": u.app_user_id.to_numpy()[who],
                "scope": scope,
                "status": status,
                "requested_us": requested,
                "completed_us": completed,
                "rejected_us": rejected,
            }
        )
        .sort_values(["requested_us", "app_user_id"])
        .reset_index(drop=True)
    )
    e.insert(0, "erasure_idx", np.arange(1, len(e) + 1, dtype=np.int64))
    # reflect on the user: full erasure closes the account and nulls PII
    full = (e.scope == "full").to_numpy() & (e.completed_us >= 0).to_numpy()
    rows = e.app_user_id.to_numpy() - 1
    au.loc[rows[full], "erased_us"] = e.completed_us.to_numpy()[full]
    au.loc[rows[full], "closed_us"] = e.completed_us.to_numpy()[full]
    mk = ~full & (e.completed_us >= 0).to_numpy()
    au.loc[rows[mk], "marketing_erased_us"] = e.completed_us.to_numpy()[mk]
    au.loc[rows, "_free"] = False
    return e


# ----------------------------------------------------------------------------- money


def _txn_part(n: int, **cols) -> pd.DataFrame:
    """A block of transactions; unspecified columns get their 'none' value."""
    base = {
        "user_row": -1,
        "type": None,
        "amount_minor": 0,
        "currency": None,
        "method": None,
        "requested_us": NEVER,
        "completed_us": NEVER,
        "failed_us": NEVER,
        "inv_key": -1,
        "refund_of_key": -1,
        "debit_acct": -1,
        "credit_acct": -1,
        "counter_amount_minor": -1,
        "counter_currency": None,
        "fx_debit_acct": -1,
        "fx_credit_acct": -1,
        "first_use_us": NEVER,
        "no_use": False,
        "first_deposit": False,
        "straddle_ok": False,
    }
    base.update(cols)
    out = {}
    for k, v in base.items():
        if np.ndim(v) == 0:
            out[k] = np.full(n, v, dtype=object if v is None or isinstance(v, str) else None)
        else:
            out[k] = np.asarray(v)
    return pd.DataFrame(out)


def _simulate_money(
    world: World,
    au: pd.DataFrame,
    products: pd.DataFrame,
    rates: pd.DataFrame,
    fx_day0_us: int,
    fx_daily: np.ndarray,
) -> dict:
    """Deposits and their uses, accounts, investments, interest, fees, referral rewards.

    Returns the world frames ``app_accounts``, ``app_investments``, ``app_transactions``,
    ``app_ledger_entries`` and ``app_referrals`` (and fills columns of ``au``)."""
    rng = world.rng("app_money")
    win = world.window
    H = win.horizon_us
    u = world["users"]
    m = len(u)
    home = au.currency.to_numpy()
    signup = u.signup_us.to_numpy()
    fd = u.first_deposit_us.to_numpy()
    fi = u.first_investment_us.to_numpy()

    # ---- deposits: the first one at first_deposit_us, more over the user's lifetime
    first_u = np.flatnonzero(fd >= 0)
    span_start = fd + US_PER_DAY
    span_end = np.minimum(
        signup + (u.lifetime_days.to_numpy() * US_PER_DAY).astype(np.int64), H - US_PER_HOUR
    )
    span_days = np.where(fd >= 0, np.clip((span_end - span_start) / US_PER_DAY, 0, None), 0.0)
    k = rng.poisson(0.5 * u.engagement.to_numpy() * span_days / 30.0)
    ex_u = np.repeat(np.arange(m), k)
    ex_t = span_start[ex_u] + (rng.random(len(ex_u)) * (span_end - span_start)[ex_u]).astype(
        np.int64
    )
    ex_t = _diurnal(rng, ex_t)
    ex_t = np.where(ex_t < span_start[ex_u], ex_t + US_PER_DAY, ex_t)
    keep = ex_t < H - US_PER_HOUR
    d_u = np.concatenate([first_u, ex_u[keep]])
    d_t = np.concatenate([fd[first_u], ex_t[keep]])
    d_first = np.concatenate([np.ones(len(first_u), bool), np.zeros(int(keep.sum()), bool)])
    nd = len(d_u)
    method = rng.choice(3, size=nd, p=DEPOSIT_METHOD_MIX)
    amount = np.clip(rng.lognormal(np.log(100_000), 1.1, size=nd), 5_000, 5_000_000)
    amount = np.where(method == 0, np.minimum(amount, 2_000_000), amount)  # card limit £20k
    amount = np.where(rng.random(nd) < 0.85, _round_to(amount, 100), np.round(amount)).astype(
        np.int64
    )
    delay = np.select(
        [method == 0, method == 2],
        [
            rng.integers(2, 20, size=nd) * US_PER_SECOND,
            rng.integers(10, 300, size=nd) * US_PER_SECOND,
        ],
        np.minimum(
            10 * US_PER_MINUTE + (rng.exponential(5.0, size=nd) * US_PER_HOUR).astype(np.int64),
            3 * US_PER_DAY,
        ),
    )
    invests_first = d_first & (fi[d_u] >= 0)
    delay = np.where(invests_first, np.minimum(delay, (fi[d_u] - d_t) // 2), delay)
    fail = ~d_first & (rng.random(nd) < np.array(DEPOSIT_FAIL_RATE)[method])
    end_t = d_t + delay
    d_done = np.where(~fail & (end_t < H), end_t, NEVER)
    d_failed = np.where(fail & (end_t < H), end_t, NEVER)
    ok = d_done >= 0
    cur_d = home[d_u]

    # ---- what each deposit's money becomes (uses never exceed the deposit)
    # card refunds, completed before the first delivery so their rate is measurable
    card_done = ok & (method == 0)
    ref_pool = np.flatnonzero(
        card_done & (d_done < win.end_us - US_PER_DAY - US_PER_HOUR) & ~invests_first
    )
    ref = _pick(
        rng,
        ref_pool,
        defect_count("app_card_refunds", int((card_done & (d_done < win.end_us)).sum())),
    )
    R = np.zeros(nd, dtype=np.int64)
    ref_t = np.full(nd, NEVER, dtype=np.int64)
    full = rng.random(len(ref)) < 0.4
    R[ref] = np.where(
        full,
        amount[ref],
        np.maximum(100, amount[ref] * rng.uniform(0.2, 0.8, len(ref)) // 100 * 100),
    )
    room = np.minimum(119 * US_PER_DAY, win.end_us - d_done[ref] - US_PER_DAY - US_PER_HOUR)
    ref_t[ref] = d_done[ref] + US_PER_DAY + (rng.random(len(ref)) * room).astype(np.int64)

    # investments: the first at first_investment_us; later deposits invest 60% of the time
    # (never before the user's first investment)
    t_inv = np.where(invests_first, fi[d_u], d_done + MIN_USE_GAP + _exp_days(rng, 2.0, nd))
    t_inv = np.where(invests_first, t_inv, np.maximum(t_inv, fi[d_u] + US_PER_HOUR))
    inv = (
        ok
        & (fi[d_u] >= 0)
        & (invests_first | ((rng.random(nd) < 0.6) & (amount > R)))
        & (t_inv < H)
    )
    invested = np.where(inv, (amount - R) * rng.uniform(0.5, 1.0, nd) // 100 * 100, 0).astype(
        np.int64
    )
    invested = np.where(inv & (invested < 100), amount - R, invested)
    # the product of each investment: its limits bound what is invested
    iv_dep = np.flatnonzero(inv)
    iv_u, placed, principal = d_u[iv_dep], t_inv[iv_dep], invested[iv_dep]
    ni = len(iv_dep)
    pw = products.weight.to_numpy()[None, :] * (
        products.currency.to_numpy()[None, :] == home[iv_u][:, None]
    )
    pw = pw * (products.launched_us.to_numpy()[None, :] <= placed[:, None])
    ret = products.retired_us.to_numpy()[None, :]
    pw = pw * ((ret < 0) | (ret > placed[:, None]))
    pw = pw / pw.sum(axis=1, keepdims=True)
    prow = (rng.random(ni)[:, None] > np.cumsum(pw, axis=1)).sum(axis=1)
    prow = np.minimum(prow, len(products) - 1)
    # within the product's limits and what the deposit has left
    mn = products.min_investment_minor.to_numpy()[prow]
    mx = products.max_investment_minor.to_numpy()[prow]
    principal = np.where((mx > 0) & (principal > mx), mx, principal)
    principal = np.minimum(np.maximum(principal, mn), (amount - R)[iv_dep])
    invested[iv_dep] = principal  # what is not invested stays in cash

    # withdrawals of part of what is left
    left = amount - R - invested
    W = (left * rng.uniform(0.3, 1.0, nd) // 100 * 100).astype(np.int64)
    t_w = _diurnal(rng, d_done + MIN_USE_GAP + _exp_days(rng, 20.0, nd))
    t_w = np.where(t_w < d_done + MIN_USE_GAP, t_w + US_PER_DAY, t_w)
    wd = ok & (left >= 2_000) & (W >= 1_000) & (rng.random(nd) < 0.2) & (t_w < H - US_PER_HOUR)
    W = np.where(wd, W, 0)

    # FX conversions: one for a few users, from a deposit with money left
    left2 = left - W
    n_depositors = len(first_u)
    fx_pool = np.flatnonzero(ok & (left2 >= 5_000))
    fx_pool = fx_pool[rng.permutation(len(fx_pool))]
    _, first_per_user = np.unique(d_u[fx_pool], return_index=True)
    fx_dep = _pick(rng, fx_pool[first_per_user], max(5, round(0.03 * n_depositors)))
    t_fx = np.full(nd, NEVER, dtype=np.int64)
    t_fx[fx_dep] = d_done[fx_dep] + MIN_USE_GAP + _exp_days(rng, 10.0, len(fx_dep))
    fx_dep = fx_dep[t_fx[fx_dep] < H - US_PER_HOUR]
    X = np.zeros(nd, dtype=np.int64)
    X[fx_dep] = left2[fx_dep] * rng.uniform(0.3, 0.9, len(fx_dep)) // 100 * 100
    other = np.where(
        cur_d[fx_dep] == "GBP", np.where(rng.random(len(fx_dep)) < 0.7, "EUR", "USD"), "GBP"
    )

    def gbp_rate(ccy: np.ndarray, t: np.ndarray) -> np.ndarray:
        day = np.clip((t - fx_day0_us) // US_PER_DAY, 0, len(fx_daily) - 1)
        out = np.ones(len(t))
        for q, code in enumerate(FX_QUOTES):
            sel = ccy == code
            out[sel] = fx_daily[day[sel], q]
        return out

    counter = np.round(
        X[fx_dep] * gbp_rate(other, t_fx[fx_dep]) / gbp_rate(cur_d[fx_dep], t_fx[fx_dep])
    ).astype(np.int64)
    uses = np.stack(
        [
            np.where(inv, t_inv, H),
            np.where(wd, t_w, H),
            np.where(R > 0, ref_t, H),
            np.where(X > 0, t_fx, H),
        ]
    )
    first_use = uses.min(axis=0)
    no_use = ok & (invested == 0) & (W == 0) & (R == 0) & (X == 0)

    # ---- accounts
    isa_user = (home == "GBP") & (fi >= 0) & (rng.random(m) < 0.3)
    plat = pd.DataFrame(
        {"kind": np.repeat(PLATFORM_TYPES, 3), "currency": np.tile(ACCOUNT_CURRENCIES, 4)}
    )
    plat["user_row"], plat["opened_us"] = -1, Window.day_us(PRODUCT_LAUNCH)
    fx_users = d_u[fx_dep]
    fx_open = np.maximum(
        t_fx[fx_dep] - rng.integers(US_PER_MINUTE, US_PER_DAY, size=len(fx_dep)),
        signup[fx_users] + US_PER_MINUTE,
    )
    has_inv = np.flatnonzero(fi >= 0)
    accts = pd.concat(
        [
            plat,
            pd.DataFrame(
                {"kind": "cash", "currency": home, "user_row": np.arange(m), "opened_us": signup}
            ),
            pd.DataFrame(
                {
                    "kind": "investment",
                    "currency": home[has_inv],
                    "user_row": has_inv,
                    "opened_us": fi[has_inv],
                }
            ),
            pd.DataFrame(
                {
                    "kind": "isa",
                    "currency": "GBP",
                    "user_row": np.flatnonzero(isa_user),
                    "opened_us": fi[isa_user] + 1,
                }
            ),
            pd.DataFrame(
                {"kind": "cash_fx", "currency": other, "user_row": fx_users, "opened_us": fx_open}
            ),
        ],
        ignore_index=True,
    )
    accts["order"] = np.arange(len(accts))
    accts = accts.sort_values(["opened_us", "order"]).reset_index(drop=True)
    accts["account_idx"] = np.arange(1, len(accts) + 1, dtype=np.int64)

    def lookup(kind: str) -> np.ndarray:
        out = np.full(m, -1, dtype=np.int64)
        a = accts.loc[accts.kind == kind]
        out[a.user_row.to_numpy()] = a.account_idx.to_numpy()
        return out

    cash_acct, inv_acct, isa_acct, fx_acct = (
        lookup(k) for k in ("cash", "investment", "isa", "cash_fx")
    )
    pa = accts.loc[accts.user_row < 0]
    plat_acct = {(r.kind, r.currency): r.account_idx for r in pa.itertuples()}  # 12 rows

    def platform(kind: str, ccy: np.ndarray) -> np.ndarray:
        return np.array([plat_acct[(kind, c)] for c in ACCOUNT_CURRENCIES])[
            pd.Index(ACCOUNT_CURRENCIES).get_indexer(ccy)
        ]

    # ---- investments
    ptype = products.product_type.to_numpy()[prow]
    rate = np.zeros(ni, dtype=np.int64)
    for j, pid in enumerate(products.product_idx):  # ten products
        v = rates.loc[rates.product_idx == pid].sort_values("valid_from_us")
        sel = prow == j
        pos = np.searchsorted(v.valid_from_us.to_numpy(), placed[sel], side="right") - 1
        rate[sel] = v.annual_rate_bps.to_numpy()[np.maximum(pos, 0)]
    use_isa = isa_user[iv_u] & products.is_isa_eligible.to_numpy()[prow] & (rng.random(ni) < 0.7)
    iv_acct = np.where(use_isa, isa_acct[iv_u], inv_acct[iv_u])
    plat_name = np.array(["web", "ios", "android"])[u.platform.to_numpy()[iv_u]]
    ch_draw = rng.random(ni)
    first_iv = d_first[iv_dep]
    channel = np.where(
        ~first_iv & (ch_draw < 0.10), "auto_invest", np.where(ch_draw > 0.98, "api", plat_name)
    )

    pool_, note, cashp = (
        ptype == "p2p_loan_pool",
        ptype == "fixed_term_note",
        np.isin(ptype, ["cash_easy_access", "cash_notice"]),
    )
    act_delay = np.select(
        [pool_, note],
        [
            10 * US_PER_MINUTE + (rng.exponential(8.0, ni) * US_PER_HOUR).astype(np.int64),
            placed - placed % US_PER_DAY + US_PER_DAY + 9 * US_PER_HOUR - placed,
        ],
        5 * US_PER_SECOND,
    )
    cancel_t = placed + (rng.uniform(0.2, 0.8, ni) * act_delay).astype(np.int64)
    cancel = (pool_ | note) & (rng.random(ni) < 0.02)
    activated = np.where(cancel, NEVER, placed + act_delay)
    activated[activated >= H] = NEVER
    cancel_t = np.where(cancel & (cancel_t < H), cancel_t, NEVER)
    act = activated >= 0
    term = products.term_days.to_numpy()[prow]
    maturity = np.where(note & act, activated - activated % US_PER_DAY + term * US_PER_DAY, NEVER)
    mat_close = np.where(maturity >= 0, _batch_time(rng, np.maximum(maturity, 0)), NEVER)
    notice = np.where(ptype == "cash_notice", 30 * US_PER_DAY, 0)
    div_t = _diurnal(rng, activated + MIN_USE_GAP + _exp_days(rng, 45.0, ni) + notice)
    div_t = np.where(div_t < activated + MIN_USE_GAP, div_t + US_PER_DAY, div_t)
    divest = act & (pool_ | cashp) & (rng.random(ni) < 0.25)
    risk = products.risk_band.to_numpy()[prow]
    p_default = np.where(risk == "A", 0.01, 0.03)
    default = act & pool_ & ~divest & (rng.random(ni) < p_default)
    def_t = _batch_time(rng, activated + 7 * US_PER_DAY + _exp_days(rng, 30.0, ni))
    close_t = np.select(
        [cancel_t >= 0, note & act, divest, default], [cancel_t, mat_close, div_t, def_t], NEVER
    )
    close_t = np.where(close_t < H, close_t, NEVER)
    status = np.select(
        [
            cancel_t >= 0,
            ~act,
            (close_t >= 0) & note,
            (close_t >= 0) & divest,
            (close_t >= 0) & default,
        ],
        ["cancelled", "pending", "matured", "withdrawn", "defaulted"],
        "active",
    )
    recovered = np.where(default, principal * rng.uniform(0.3, 0.8, ni) // 1, principal).astype(
        np.int64
    )
    inv_cur = home[iv_u]
    inv_key = np.arange(ni)

    parts = []
    # deposits
    parts.append(
        _txn_part(
            nd,
            user_row=d_u,
            type="deposit",
            amount_minor=amount,
            currency=cur_d,
            method=np.array(DEPOSIT_METHODS)[method],
            requested_us=d_t,
            completed_us=d_done,
            failed_us=d_failed,
            debit_acct=platform("platform_clearing", cur_d),
            credit_acct=cash_acct[d_u],
            first_use_us=first_use,
            no_use=no_use,
            first_deposit=d_first,
            straddle_ok=first_use > d_done - d_done % US_PER_DAY + US_PER_DAY + 10 * US_PER_MINUTE,
        )
    )
    dep_key = np.arange(nd)  # deposit rows are the first block
    # investments placed (cash -> investment account)
    parts.append(
        _txn_part(
            ni,
            user_row=iv_u,
            type="investment",
            amount_minor=principal,
            currency=inv_cur,
            requested_us=placed,
            completed_us=placed + rng.integers(200_000, 3_000_000, ni),
            inv_key=inv_key,
            debit_acct=cash_acct[iv_u],
            credit_acct=iv_acct,
            straddle_ok=~cancel,
        )
    )
    # refunds of card deposits
    r = np.flatnonzero(R > 0)
    parts.append(
        _txn_part(
            len(r),
            user_row=d_u[r],
            type="refund",
            amount_minor=R[r],
            currency=cur_d[r],
            requested_us=ref_t[r],
            completed_us=ref_t[r] + rng.integers(1, 10, len(r)) * US_PER_SECOND,
            refund_of_key=dep_key[r],
            debit_acct=cash_acct[d_u[r]],
            credit_acct=platform("platform_clearing", cur_d[r]),
            straddle_ok=True,
        )
    )
    # withdrawals: from deposits' leftovers, and of principal an investment returned
    ret_amt = np.where(default, recovered, principal)
    pw2 = (close_t >= 0) & (rng.random(ni) < 0.4)
    W2 = (ret_amt * rng.uniform(0.5, 1.0, ni) // 100 * 100).astype(np.int64)
    t_w2 = close_t + MIN_USE_GAP + _exp_days(rng, 3.0, ni)
    pw2 &= (W2 >= 1_000) & (t_w2 < H - US_PER_HOUR)
    wr = np.flatnonzero(wd)
    w_u = np.concatenate([d_u[wr], iv_u[pw2]])
    w_amt = np.concatenate([W[wr], W2[pw2]])
    w_t = np.concatenate([t_w[wr], t_w2[pw2]])
    nw = len(w_u)
    w_end = (
        w_t
        + US_PER_HOUR
        + np.minimum((rng.exponential(10.0, nw) * US_PER_HOUR).astype(np.int64), 3 * US_PER_DAY)
    )
    w_fail = rng.random(nw) < 0.01
    w_cur = home[w_u]
    parts.append(
        _txn_part(
            nw,
            user_row=w_u,
            type="withdrawal",
            amount_minor=w_amt,
            currency=w_cur,
            method="bank_transfer",
            requested_us=w_t,
            completed_us=np.where(~w_fail & (w_end < H), w_end, NEVER),
            failed_us=np.where(w_fail & (w_end < H), w_end, NEVER),
            debit_acct=cash_acct[w_u],
            credit_acct=platform("platform_clearing", w_cur),
            straddle_ok=True,
        )
    )
    # FX conversions: home cash -> platform_fx (home); platform_fx (other) -> cash in other
    fu = d_u[fx_dep]
    parts.append(
        _txn_part(
            len(fx_dep),
            user_row=fu,
            type="fx_conversion",
            amount_minor=X[fx_dep],
            currency=cur_d[fx_dep],
            requested_us=t_fx[fx_dep],
            completed_us=t_fx[fx_dep] + rng.integers(1, 5, len(fx_dep)) * US_PER_SECOND,
            debit_acct=cash_acct[fu],
            credit_acct=platform("platform_fx", cur_d[fx_dep]),
            counter_amount_minor=counter,
            counter_currency=other,
            fx_debit_acct=platform("platform_fx", other),
            fx_credit_acct=fx_acct[fu],
        )
    )
    # closing an investment returns principal to cash; a default writes the rest off
    c = np.flatnonzero(close_t >= 0)
    ctype = np.where(
        status[c] == "matured",
        "principal_repayment",
        np.where(status[c] == "defaulted", "principal_repayment", "divestment"),
    )
    parts.append(
        _txn_part(
            len(c),
            user_row=iv_u[c],
            type=ctype,
            amount_minor=ret_amt[c],
            currency=inv_cur[c],
            requested_us=close_t[c],
            completed_us=close_t[c] + rng.integers(1, 5, len(c)) * US_PER_SECOND,
            inv_key=inv_key[c],
            debit_acct=iv_acct[c],
            credit_acct=cash_acct[iv_u[c]],
        )
    )
    dfl = np.flatnonzero((close_t >= 0) & default & (principal > recovered))
    parts.append(
        _txn_part(
            len(dfl),
            user_row=iv_u[dfl],
            type="adjustment",
            amount_minor=principal[dfl] - recovered[dfl],
            currency=inv_cur[dfl],
            requested_us=close_t[dfl] + 10 * US_PER_SECOND,
            completed_us=close_t[dfl] + 11 * US_PER_SECOND,
            inv_key=inv_key[dfl],
            debit_acct=iv_acct[dfl],
            credit_acct=platform("platform_clearing", inv_cur[dfl]),
        )
    )
    # monthly interest into cash while active; loan pools pay a servicing fee out of it
    day0 = activated - activated % US_PER_DAY
    end = np.where(close_t >= 0, close_t, H)
    n_pay = np.where(act, np.maximum(0, (end - day0 - 3 * US_PER_HOUR) // (30 * US_PER_DAY)), 0)
    ii = np.repeat(np.arange(ni), n_pay)
    kk = np.arange(len(ii)) - np.repeat(np.cumsum(n_pay) - n_pay, n_pay) + 1
    pay_t = (
        day0[ii]
        + kk * 30 * US_PER_DAY
        + 2 * US_PER_HOUR
        + rng.integers(0, 30 * US_PER_MINUTE, len(ii))
    )
    interest = np.round(principal[ii] * rate[ii] / 10_000 / 12).astype(np.int64)
    okp = interest >= 1
    ii, pay_t, interest = ii[okp], pay_t[okp], interest[okp]
    parts.append(
        _txn_part(
            len(ii),
            user_row=iv_u[ii],
            type="interest",
            amount_minor=interest,
            currency=inv_cur[ii],
            requested_us=pay_t,
            completed_us=pay_t + rng.integers(50_000, 900_000, len(ii)),
            inv_key=inv_key[ii],
            debit_acct=platform("platform_interest", inv_cur[ii]),
            credit_acct=cash_acct[iv_u[ii]],
        )
    )
    fee = np.round(interest * LOAN_POOL_FEE_SHARE).astype(np.int64)
    okf = pool_[ii] & (fee >= 1)
    fi_, fee, fee_t = (
        ii[okf],
        fee[okf],
        pay_t[okf] + rng.integers(2, 6, int(okf.sum())) * US_PER_SECOND,
    )
    parts.append(
        _txn_part(
            len(fi_),
            user_row=iv_u[fi_],
            type="fee",
            amount_minor=fee,
            currency=inv_cur[fi_],
            requested_us=fee_t,
            completed_us=fee_t + 100_000,
            inv_key=inv_key[fi_],
            debit_acct=cash_acct[iv_u[fi_]],
            credit_acct=platform("platform_fees", inv_cur[fi_]),
        )
    )

    # ---- referrals: referrer among earlier depositors; reward when the referee first deposits
    referrals = _referrals(world, au, d_u, d_done, d_first)
    rw = referrals.loc[referrals.paid_us >= 0]
    drift_us = win.start_us + (win.end_us - win.start_us) // 2
    drift_us -= drift_us % US_PER_DAY
    rr = rw.referrer_app_user_id.to_numpy() - 1
    rcur = home[rr]
    parts.append(
        _txn_part(
            len(rw),
            user_row=rr,
            type=np.where(rw.paid_us.to_numpy() >= drift_us, "cashback", "adjustment"),
            amount_minor=np.full(len(rw), REFERRAL_REWARD_MINOR),
            currency=rcur,
            requested_us=rw.paid_us.to_numpy(),
            completed_us=rw.paid_us.to_numpy() + US_PER_SECOND,
            debit_acct=platform("platform_fees", rcur),
            credit_acct=cash_acct[rr],
        )
    )
    T = pd.concat(parts, ignore_index=True)
    T["ref_row"] = -1
    T.loc[T.type.isin(["cashback", "adjustment"]) & (T.inv_key < 0), "ref_row"] = (
        rw.index.to_numpy()
    )

    # ---- weekly sweep of collected fees (platform only, no user)
    fees = T.loc[(T.type == "fee") & (T.completed_us >= 0)]
    monday0 = win.start_us - ((win.start_us // US_PER_DAY + 3) % 7) * US_PER_DAY
    week = (fees.completed_us.to_numpy() - monday0) // (7 * US_PER_DAY)
    sw = fees.assign(week=week).groupby(["currency", "week"], as_index=False).amount_minor.sum()
    sw_t = monday0 + (sw.week.to_numpy() + 1) * 7 * US_PER_DAY + 3 * US_PER_HOUR
    sw = sw.loc[sw_t < H]
    sw_t = sw_t[sw_t < H]
    scur = sw.currency.to_numpy()
    T = pd.concat(
        [
            T,
            _txn_part(
                len(sw),
                type="adjustment",
                amount_minor=sw.amount_minor.to_numpy(),
                currency=scur,
                requested_us=sw_t,
                completed_us=sw_t + US_PER_SECOND,
                debit_acct=platform("platform_fees", scur),
                credit_acct=platform("platform_clearing", scur),
            ),
        ],
        ignore_index=True,
    )
    T["ref_row"] = T.ref_row.fillna(-1).astype(np.int64)

    T = _transaction_defects(world, T)
    assert set(T.type.unique()) <= set(TXN_TYPES), set(T.type.unique()) - set(TXN_TYPES)

    # ---- final ids: investments by placement, transactions by request time
    iv_order = np.lexsort((inv_key, placed))
    inv_idx = np.empty(ni, dtype=np.int64)
    inv_idx[iv_order] = np.arange(1, ni + 1)
    T["order"] = np.arange(len(T))
    T = T.sort_values(["requested_us", "order"]).reset_index(drop=True)
    new_id = np.empty(len(T), dtype=np.int64)
    new_id[T.order.to_numpy()] = np.arange(1, len(T) + 1)
    T["txn_idx"] = np.arange(1, len(T) + 1, dtype=np.int64)

    def remap(col: str) -> np.ndarray:
        v = T[col].to_numpy()
        return np.where(v >= 0, new_id[np.maximum(v, 0)], -1)

    T["reverses_txn_idx"] = remap("reverses_key")
    T["refund_of_txn_idx"] = remap("refund_of_key")
    T["retry_of_txn_idx"] = remap("retry_of_key")
    T["investment_idx"] = np.where(T.inv_key >= 0, inv_idx[np.maximum(T.inv_key.to_numpy(), 0)], -1)
    ur = T.user_row.to_numpy()
    T["app_user_id"] = np.where(ur >= 0, ur + 1, -1)
    T["person_idx"] = np.where(ur >= 0, u.person_idx.to_numpy()[np.maximum(ur, 0)], -1)
    T["status"] = np.select(
        [T.failed_us >= 0, T.reversed_us >= 0, T.completed_us >= 0],
        ["failed", "reversed", "completed"],
        "pending",
    )
    # the customer account a transaction is about: cash if it moves cash, else the holding
    kind = np.empty(len(accts) + 1, dtype=object)
    kind[accts.account_idx.to_numpy()] = accts.kind.replace(
        {"cash_fx": "cash", "isa": "investment"}
    ).to_numpy()
    kind[0] = "none"
    dk = kind[np.maximum(T.debit_acct.to_numpy(), 0)]
    ck = kind[np.maximum(T.credit_acct.to_numpy(), 0)]
    T["account_idx"] = np.select(
        [ck == "cash", dk == "cash", ck == "investment", dk == "investment"],
        [T.credit_acct, T.debit_acct, T.credit_acct, T.debit_acct],
        -1,
    ).astype(np.int64)

    # card deposits give the user a Stripe customer
    card = T.loc[(T.type == "deposit") & (T.method == "card") & (T.retry_of_key < 0)]
    fcard = card.groupby("user_row").requested_us.min()
    au.loc[fcard.index.to_numpy(), "first_card_deposit_us"] = fcard.to_numpy()

    ledger = _ledger(rng, T)
    referrals["txn_idx"] = -1
    rt = T.loc[T.ref_row >= 0]
    referrals.loc[rt.ref_row.to_numpy(), "txn_idx"] = rt.txn_idx.to_numpy()

    investments = (
        pd.DataFrame(
            {
                "investment_idx": inv_idx,
                "person_idx": u.person_idx.to_numpy()[iv_u],
                "app_user_id": iv_u + 1,
                "account_idx": iv_acct,
                "product_idx": products.product_idx.to_numpy()[prow],
                "principal_minor": principal,
                "currency": inv_cur,
                "annual_rate_bps": rate,
                "channel": channel,
                "placed_us": placed,
                "activated_us": activated,
                "maturity_us": maturity,
                "closed_us": close_t,
                "status": status,
            }
        )
        .sort_values("investment_idx")
        .reset_index(drop=True)
    )
    srng = world.rng("app_stale")
    changed = np.flatnonzero((investments.activated_us >= 0) | (investments.closed_us >= 0))
    stale = np.zeros(ni, dtype=bool)
    stale[_pick(srng, changed, defect_count("app_stale_updated_at", len(changed)))] = True
    investments["stale_updated_at"] = stale

    accounts = _accounts_frame(world, accts, au)
    keep_cols = [
        "txn_idx",
        "person_idx",
        "app_user_id",
        "account_idx",
        "type",
        "status",
        "amount_minor",
        "currency",
        "method",
        "requested_us",
        "completed_us",
        "failed_us",
        "reversed_us",
        "posted_us",
        "investment_idx",
        "reverses_txn_idx",
        "refund_of_txn_idx",
        "retry_of_txn_idx",
        "counter_amount_minor",
        "counter_currency",
        "stale_updated_at",
    ]
    return {
        "app_accounts": accounts,
        "app_investments": investments,
        "app_transactions": T[keep_cols].copy(),
        "app_ledger_entries": ledger,
        "app_referrals": referrals,
    }


def _transaction_defects(world: World, T: pd.DataFrame) -> pd.DataFrame:
    """Pending-forever transactions, reversal pairs, idempotency retries, stale
    ``updated_at`` and midnight-straddle postings, at their documented rates (of the
    transactions requested before the first delivery's cut-off)."""
    rng = world.rng("app_txn_defects")
    win = world.window
    T = T.reset_index(drop=True)
    T["reversed_us"] = NEVER
    T["reverses_key"] = -1
    T["retry_of_key"] = -1
    n_landed = int((T.requested_us < win.end_us).sum())
    typ = T.type.to_numpy()
    # deposits whose money was never used can be stuck or recalled without a balance dipping
    free_dep = (
        (typ == "deposit")
        & T.no_use.to_numpy().astype(bool)
        & ~T.first_deposit.to_numpy().astype(bool)
        & (T.method.to_numpy() != "card")
    )
    wdr = typ == "withdrawal"

    # pending forever: older than 30 days at the first cut-off, never completed
    done = T.completed_us.to_numpy()
    pool = np.flatnonzero(
        (free_dep | wdr) & (done >= 0) & (T.requested_us.to_numpy() < win.end_us - 31 * US_PER_DAY)
    )
    pend = _pick(rng, pool, defect_count("app_pending_forever", n_landed))
    T.loc[pend, "completed_us"] = NEVER

    # reversals: a mirrored transaction; the original becomes 'reversed'
    done = T.completed_us.to_numpy()
    pool = np.flatnonzero((free_dep | wdr) & (done >= 0) & (done < win.end_us - 4 * US_PER_DAY))
    rev = np.sort(_pick(rng, pool, defect_count("app_reversal", n_landed)))
    room = np.minimum(3 * US_PER_DAY, win.end_us - done[rev] - 2 * US_PER_HOUR)
    rev_t = done[rev] + US_PER_HOUR + (rng.random(len(rev)) * room).astype(np.int64)
    R = T.iloc[rev].copy()
    R["type"] = "reversal"
    R["method"] = None
    R["requested_us"] = rev_t
    R["completed_us"] = rev_t + US_PER_SECOND
    R["debit_acct"], R["credit_acct"] = T.credit_acct.to_numpy()[rev], T.debit_acct.to_numpy()[rev]
    R["reverses_key"] = rev
    R["straddle_ok"] = False
    R["first_deposit"] = False
    R["ref_row"] = -1
    T.loc[rev, "reversed_us"] = rev_t + US_PER_SECOND
    T = pd.concat([T, R], ignore_index=True)

    # idempotency retries: a client resubmits within seconds; the duplicate fails
    typ = T.type.to_numpy()
    pool = np.flatnonzero(
        (
            ((typ == "deposit") & (T.method.to_numpy() != "card"))
            | (typ == "withdrawal")
            | (typ == "investment")
        )
        & (T.requested_us.to_numpy() < win.end_us - US_PER_MINUTE)
    )
    ret = np.sort(_pick(rng, pool, defect_count("app_idempotency_retry", n_landed)))
    D = T.iloc[ret].copy()
    D["requested_us"] = D.requested_us + rng.integers(300_000, 5_000_000, len(ret))
    D["failed_us"] = D.requested_us + rng.integers(20_000, 800_000, len(ret))
    D["completed_us"] = NEVER
    D["reversed_us"] = NEVER
    D["retry_of_key"] = ret
    D["straddle_ok"] = False
    D["first_deposit"] = False
    D["ref_row"] = -1
    T = pd.concat([T, D], ignore_index=True)

    # stale updated_at: the status moved on, updated_at did not
    done = T.completed_us.to_numpy()
    changed = np.flatnonzero(
        ((done >= 0) | (T.failed_us.to_numpy() >= 0)) & (T.requested_us.to_numpy() < win.end_us)
    )
    stale = np.zeros(len(T), dtype=bool)
    stale[_pick(rng, changed, defect_count("app_stale_updated_at", len(changed)))] = True
    T["stale_updated_at"] = stale

    # midnight straddle: completed late in the evening, posted to the ledger after midnight
    tod = done % US_PER_DAY
    typ = T.type.to_numpy()
    pool = np.flatnonzero(
        T.straddle_ok.to_numpy().astype(bool)
        & (done >= 0)
        & (tod >= 22 * US_PER_HOUR)
        & (T.reversed_us.to_numpy() < 0)
        & (done < win.end_us - US_PER_DAY)
        & np.isin(typ, ["deposit", "withdrawal", "investment", "refund"])
    )
    n_done = int(((done >= 0) & (done < win.end_us)).sum())
    st = _pick(rng, pool, defect_count("app_midnight_straddle", n_done))
    posted = done.copy()
    posted[st] = done[st] - tod[st] + US_PER_DAY + rng.integers(1, 300, len(st)) * US_PER_SECOND
    T["posted_us"] = posted
    return T


def _ledger(rng: np.random.Generator, T: pd.DataFrame) -> pd.DataFrame:
    """Double-entry lines of every completed transaction (reversed ones keep theirs;
    their reversal mirrors them). An FX conversion balances each currency through
    ``platform_fx``."""
    d = T.loc[T.completed_us >= 0]
    fx = d.loc[d.counter_amount_minor >= 0]

    def lines(
        df: pd.DataFrame, acct: str, direction: str, amount: str, ccy: str, line: int
    ) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "txn_idx": df.txn_idx.to_numpy(),
                "account_idx": df[acct].to_numpy(),
                "direction": direction,
                "amount_minor": df[amount].to_numpy(),
                "currency": df[ccy].to_numpy(),
                "posted_us": df.posted_us.to_numpy(),
                "line": line,
            }
        )

    L = (
        pd.concat(
            [
                lines(d, "debit_acct", "debit", "amount_minor", "currency", 0),
                lines(d, "credit_acct", "credit", "amount_minor", "currency", 1),
                lines(fx, "fx_debit_acct", "debit", "counter_amount_minor", "counter_currency", 2),
                lines(
                    fx, "fx_credit_acct", "credit", "counter_amount_minor", "counter_currency", 3
                ),
            ],
            ignore_index=True,
        )
        .sort_values(["posted_us", "txn_idx", "line"])
        .reset_index(drop=True)
    )
    L.insert(0, "entry_idx", np.arange(1, len(L) + 1, dtype=np.int64))
    L["created_us"] = L.posted_us + rng.integers(0, 50_000, len(L))
    return L.drop(columns="line")


def _referrals(
    world: World, au: pd.DataFrame, d_u: np.ndarray, d_done: np.ndarray, d_first: np.ndarray
) -> pd.DataFrame:
    """Referred users get a referrer among earlier depositors. The referral qualifies
    when the referee's first deposit completes and the reward is paid next night;
    it is void if the referee fails KYC first."""
    rng = world.rng("app_referrals")
    win = world.window
    u = world["users"]
    uid = u.app_user_id.to_numpy()
    depositors = np.sort(uid[u.first_deposit_us.to_numpy() >= 0])
    referee = uid[u.referred.to_numpy().astype(bool)]
    n_before = np.searchsorted(depositors, referee)
    referee = referee[n_before > 0]
    n_before = n_before[n_before > 0]
    referrer = depositors[(rng.random(len(referee)) * n_before).astype(np.int64)]
    row = referee - 1
    created = u.signup_us.to_numpy()[row] + US_PER_SECOND
    first_done = np.full(len(u), NEVER, dtype=np.int64)
    first_done[d_u[d_first]] = d_done[d_first]
    qualified = first_done[row]
    paid = np.where(qualified >= 0, _batch_time(rng, qualified + US_PER_DAY), NEVER)
    paid[paid >= win.horizon_us] = NEVER
    failed_kyc = np.maximum(u.kyc_rejected_us.to_numpy()[row], u.kyc_expired_us.to_numpy()[row])
    void = np.where((qualified < 0) & (failed_kyc >= 0), failed_kyc, NEVER)
    home = au.currency.to_numpy()
    r = pd.DataFrame(
        {
            "referral_idx": np.arange(1, len(referee) + 1, dtype=np.int64),
            "referrer_app_user_id": referrer,
            "referee_app_user_id": referee,
            "reward_minor": np.full(len(referee), REFERRAL_REWARD_MINOR, dtype=np.int64),
            "currency": home[referrer - 1],
            "created_us": created,
            "qualified_us": qualified,
            "paid_us": paid,
            "void_us": void,
            "status": np.select(
                [paid >= 0, qualified >= 0, void >= 0], ["paid", "qualified", "void"], "pending"
            ),
        }
    )
    au.loc[row, "referred_by_app_user_id"] = referrer
    return r


def _accounts_frame(world: World, accts: pd.DataFrame, au: pd.DataFrame) -> pd.DataFrame:
    """Accounts with their owner and the status changes their user went through."""
    ur = accts.user_row.to_numpy()
    cust = ur >= 0
    urs = np.maximum(ur, 0)

    def from_user(col: str) -> np.ndarray:
        return np.where(cust, au[col].to_numpy()[urs], NEVER)

    return pd.DataFrame(
        {
            "account_idx": accts.account_idx.to_numpy(),
            "person_idx": np.where(cust, au.person_idx.to_numpy()[urs], -1),
            "app_user_id": np.where(cust, ur + 1, -1),
            "owner_type": np.where(cust, "customer", "platform"),
            "account_type": accts.kind.replace({"cash_fx": "cash"}).to_numpy(),
            "currency": accts.currency.to_numpy(),
            "opened_us": accts.opened_us.to_numpy().astype(np.int64),
            "closed_us": from_user("closed_us"),
            "frozen_us": from_user("suspended_us"),
            "deleted_us": from_user("hard_deleted_us"),
        }
    )


# ----------------------------------------------------------------------------- simulate


def simulate(world: World) -> None:
    """Add the app's world tables (all prefixed ``app_``)."""
    u = world["users"]
    assert (u.app_user_id.to_numpy() == np.arange(1, len(u) + 1)).all(), "users must be in id order"
    products, rates = _build_products(world)
    fx, fx_day0, fx_daily = _build_fx(world)
    au = _build_app_users(world)
    erasures = _build_erasures(world, au)
    frames = _simulate_money(world, au, products, rates, fx_day0, fx_daily)
    win = world.window
    drift = win.start_us + (win.end_us - win.start_us) // 2
    world.add(
        "app_meta",
        pd.DataFrame(
            {
                # the connector's first sync: rows last changed before it were synced then
                "sync_floor_us": [win.start_us - 7 * US_PER_DAY],
                # first day 'cashback' may appear (enum drift)
                "drift_us": [drift - drift % US_PER_DAY],
            }
        ),
    )
    world.add("app_currencies", _currencies_frame())
    world.add("app_products", products)
    world.add("app_product_rates", rates)
    world.add("app_fx_rates", fx)
    world.add("app_users", au.drop(columns="_free"))
    world.add("app_erasures", erasures)
    for name, frame in frames.items():
        world.add(name, frame)
    _add_sync_lags(world)


def _add_sync_lags(world: World) -> None:
    """Loader lag per row: state tables get ``sync_lag_us`` (1-10 minutes after a change);
    append tables get their arrival ``synced_us`` (every line of a transaction in the same
    sync, 1-5 minutes after posting)."""
    rng = world.rng("app_sync")
    for name in (
        "app_users",
        "app_accounts",
        "app_products",
        "app_product_rates",
        "app_investments",
        "app_transactions",
        "app_referrals",
        "app_erasures",
        "app_currencies",
    ):
        f = world[name]
        f["sync_lag_us"] = rng.integers(US_PER_MINUTE, 10 * US_PER_MINUTE, size=len(f))
    L = world["app_ledger_entries"]
    txn_lag = rng.integers(
        US_PER_MINUTE, 5 * US_PER_MINUTE, size=len(world["app_transactions"]) + 1
    )
    L["synced_us"] = L.posted_us.to_numpy() + 100_000 + txn_lag[L.txn_idx.to_numpy()]
    fx = world["app_fx_rates"]
    fx["synced_us"] = fx.created_us.to_numpy() + rng.integers(
        US_PER_MINUTE, 10 * US_PER_MINUTE, size=len(fx)
    )


# ----------------------------------------------------------------------------- raw tables

FT = ", _fivetran_synced:ts, _fivetran_deleted:bool"
# the cut-off in µs and the connector's first sync, for every state-table SELECT
CTE = (
    "c AS (SELECT epoch_us({cutoff}) AS cut, (SELECT sync_floor_us FROM _world.app_meta) AS floor)"
)


def _a(col: str) -> str:
    """``col`` if it happened before the cut-off, else -1 ('not yet')."""
    return f"(CASE WHEN {col} >= 0 AND {col} < cut THEN {col} ELSE -1 END)"


def _synced(last: str) -> str:
    """Fivetran picks a change up 1-10 minutes later (``sync_lag_us``, drawn per row) and no
    later than the cut-off; rows last changed before the connector existed were synced at
    its first sync."""
    return "ts_of(LEAST(GREATEST(" + last + ", floor) + sync_lag_us, cut - 1))"


def _uuid(hcol: str) -> str:
    """``uuid_of`` from an already computed ``h(ns, i)`` (one md5 instead of five)."""
    return (
        f"substr({hcol}, 1, 8) || '-' || substr({hcol}, 9, 4) || '-4' || substr({hcol}, 14, 3) "
        f"|| '-' || substr({hcol}, 17, 4) || '-' || substr({hcol}, 21, 12)"
    )


_USERS_SQL = f"""
WITH {CTE},
s AS (
    SELECT u.*, a.* EXCLUDE (app_user_id, person_idx), cut, floor,
        {_a("a.erased_us")} >= 0 AS erased,
        {_a("a.hard_deleted_us")} AS hard_del
    FROM _world.users u JOIN _world.app_users a USING (app_user_id), c
    WHERE u.signup_us < c.cut
),
t AS (
    SELECT *, greatest(signup_us, {_a("email_verified_us")}, {_a("kyc_submitted_us")},
        {_a("kyc_approved_us")}, {_a("kyc_rejected_us")}, {_a("kyc_expired_us")},
        {_a("first_card_deposit_us")}, {_a("soft_deleted_us")}, {_a("closed_us")},
        {_a("suspended_us")}, {_a("erased_us")}, {_a("marketing_erased_us")}, hard_del) AS last_change
    FROM s
)
SELECT
    app_user_id AS id,
    public_id,
    CASE WHEN erased THEN 'erased+' || substr(h('erased', app_user_id), 1, 16) || '@invalid'
         ELSE email END AS email,
    CASE WHEN email_verified_zero_date THEN NULL ELSE dt_of({_a("email_verified_us")}) END AS email_verified_at,
    CASE WHEN erased THEN NULL ELSE first_name END AS first_name,
    CASE WHEN erased THEN NULL ELSE last_name END AS last_name,
    CASE WHEN erased THEN NULL
         ELSE make_date(CAST(birth_year AS INTEGER), 1, 1) + CAST(birth_doy AS INTEGER) END AS date_of_birth,
    country_code,
    CASE platform WHEN 0 THEN 'web' WHEN 1 THEN 'ios' ELSE 'android' END AS signup_platform,
    upper(substr(h('refcode', app_user_id), 1, 8)) AS referral_code,
    CASE WHEN referred_by_app_user_id > 0 THEN referred_by_app_user_id END AS referred_by_user_id,
    CASE WHEN {_a("kyc_expired_us")} >= 0 THEN 'expired'
         WHEN {_a("kyc_rejected_us")} >= 0 THEN 'rejected'
         WHEN {_a("kyc_approved_us")} >= 0 THEN 'approved'
         WHEN {_a("kyc_submitted_us")} >= 0 THEN 'pending'
         ELSE 'not_started' END AS kyc_status,
    dt_of({_a("kyc_approved_us")}) AS kyc_approved_at,
    CASE investor_category WHEN 0 THEN 'restricted' WHEN 1 THEN 'high_net_worth'
         ELSE 'sophisticated' END AS investor_category,
    CASE WHEN erased OR {_a("marketing_erased_us")} >= 0 THEN 0
         ELSE CAST(marketing_opt_in AS INTEGER) END AS marketing_opt_in,
    CASE WHEN is_internal AND internal_flag_set AND internal_kind = 1 THEN 1 ELSE 0 END AS is_staff,
    CASE WHEN is_internal AND internal_flag_set AND internal_kind IN (2, 3) THEN 1 ELSE 0 END AS is_test,
    CASE WHEN {_a("closed_us")} >= 0 THEN 'closed' WHEN {_a("suspended_us")} >= 0 THEN 'suspended'
         ELSE 'active' END AS status,
    dt_of({_a("closed_us")}) AS closed_at,
    CASE WHEN {_a("first_card_deposit_us")} >= 0 THEN sid('cus_', 'cus', app_user_id) END AS stripe_customer_id,
    hubspot_contact_id,
    dt_of(signup_us) AS created_at,
    dt_of(last_change) AS updated_at,
    dt_of({_a("soft_deleted_us")}) AS deleted_at,
    synced AS _fivetran_synced,
    hard_del >= 0 AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM t) AS t
"""

_ACCOUNTS_SQL = f"""
WITH {CTE},
s AS (
    SELECT a.*, cut, floor, h('acct', account_idx) AS h_public,
        greatest(opened_us, {_a("closed_us")}, {_a("frozen_us")}, {_a("deleted_us")}) AS last_change
    FROM _world.app_accounts a, c WHERE a.opened_us < c.cut
)
SELECT
    account_idx AS id,
    {_uuid("h_public")} AS public_id,
    CASE WHEN app_user_id > 0 THEN app_user_id END AS user_id,
    owner_type, account_type, currency,
    CASE WHEN {_a("closed_us")} >= 0 THEN 'closed' WHEN {_a("frozen_us")} >= 0 THEN 'frozen'
         ELSE 'open' END AS status,
    dt_of(opened_us) AS opened_at,
    dt_of({_a("closed_us")}) AS closed_at,
    dt_of(opened_us) AS created_at,
    dt_of(last_change) AS updated_at,
    synced AS _fivetran_synced,
    {_a("deleted_us")} >= 0 AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

_PRODUCTS_SQL = f"""
WITH {CTE},
cur AS (
    SELECT product_idx, arg_max(annual_rate_bps, valid_from_us) AS rate, max(valid_from_us) AS changed
    FROM _world.app_product_rates, c
    WHERE valid_from_us < cut AND created_us < cut
    GROUP BY product_idx
),
s AS (
    SELECT p.*, cur.rate, cut, floor,
        greatest(p.created_us, {_a("p.launched_us")}, {_a("p.retired_us")}, coalesce(cur.changed, -1)) AS last_change
    FROM _world.app_products p LEFT JOIN cur USING (product_idx), c
    WHERE p.created_us < c.cut
)
SELECT
    product_idx AS id, code, name, product_type, currency,
    coalesce(rate, launch_rate_bps) AS annual_rate_bps,
    CASE WHEN term_days >= 0 THEN term_days END AS term_days,
    CASE WHEN notice_days >= 0 THEN notice_days END AS notice_days,
    min_investment_minor,
    CASE WHEN max_investment_minor >= 0 THEN max_investment_minor END AS max_investment_minor,
    risk_band,
    CAST(is_isa_eligible AS INTEGER) AS is_isa_eligible,
    CASE WHEN {_a("launched_us")} >= 0 AND {_a("retired_us")} < 0 THEN 1 ELSE 0 END AS is_active,
    dt_of(launched_us) AS launched_at,
    dt_of({_a("retired_us")}) AS retired_at,
    dt_of(created_us) AS created_at,
    dt_of(last_change) AS updated_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

_PRODUCT_RATES_SQL = f"""
WITH {CTE},
s AS (
    SELECT r.*, cut, floor, greatest(created_us, {_a("valid_to_set_us")}) AS last_change
    FROM _world.app_product_rates r, c WHERE r.created_us < c.cut
)
SELECT
    rate_idx AS id, product_idx AS product_id, annual_rate_bps,
    dt_of(valid_from_us) AS valid_from,
    CASE WHEN {_a("valid_to_set_us")} >= 0 THEN dt_of(valid_to_us) END AS valid_to,
    dt_of(created_us) AS created_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

_INVESTMENTS_SQL = f"""
WITH {CTE},
s AS (
    SELECT i.*, cut, floor, h('inv', investment_idx) AS h_public,
        greatest(placed_us, {_a("activated_us")}, {_a("closed_us")}) AS last_change
    FROM _world.app_investments i, c WHERE i.placed_us < c.cut
)
SELECT
    investment_idx AS id,
    {_uuid("h_public")} AS public_id,
    app_user_id AS user_id, account_idx AS account_id, product_idx AS product_id,
    CASE WHEN {_a("closed_us")} >= 0 THEN status WHEN {_a("activated_us")} >= 0 THEN 'active'
         ELSE 'pending' END AS status,
    principal_minor, currency, annual_rate_bps, channel,
    dt_of(placed_us) AS placed_at,
    dt_of({_a("activated_us")}) AS activated_at,
    CASE WHEN {_a("activated_us")} >= 0 THEN date_of(maturity_us) END AS maturity_date,
    dt_of({_a("closed_us")}) AS closed_at,
    dt_of(placed_us) AS created_at,
    -- a batch job's status change that did not bump updated_at
    dt_of(CASE WHEN stale_updated_at THEN placed_us ELSE last_change END) AS updated_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

_TRANSACTIONS_SQL = f"""
WITH {CTE},
s AS (
    SELECT t.*, cut, floor,
        greatest(requested_us, {_a("completed_us")}, {_a("failed_us")}, {_a("reversed_us")}) AS last_change,
        h('txn', txn_idx) AS h_public,
        h('idem', CASE WHEN retry_of_txn_idx > 0 THEN retry_of_txn_idx ELSE txn_idx END) AS h_idem
    FROM _world.app_transactions t, c WHERE t.requested_us < c.cut
)
SELECT
    txn_idx AS id,
    {_uuid("h_public")} AS public_id,
    CASE WHEN app_user_id > 0 THEN app_user_id END AS user_id,
    type,
    CASE WHEN {_a("failed_us")} >= 0 THEN 'failed' WHEN {_a("reversed_us")} >= 0 THEN 'reversed'
         WHEN {_a("completed_us")} >= 0 THEN 'completed' ELSE 'pending' END AS status,
    amount_minor, currency,
    CASE WHEN investment_idx > 0 THEN investment_idx END AS investment_id,
    CASE WHEN reverses_txn_idx > 0 THEN reverses_txn_idx END AS reverses_transaction_id,
    CASE WHEN method = 'card' OR type = 'refund' THEN 'stripe' ELSE method END AS external_provider,
    CASE WHEN retry_of_txn_idx > 0 THEN NULL  -- the duplicate never reached the provider
         WHEN type = 'deposit' AND method = 'card' THEN sid('pi_', 'pi', txn_idx)
         WHEN type = 'refund' THEN sid('re_', 're', txn_idx)
         WHEN method = 'bank_transfer' THEN 'FPS' || upper(substr(h('bankref', txn_idx), 1, 15))
         WHEN method = 'open_banking' THEN 'obp_' || substr(h('obref', txn_idx), 1, 20)
    END AS external_id,
    {_uuid("h_idem")} AS idempotency_key,
    dt_of(requested_us) AS requested_at,
    dt_of({_a("completed_us")}) AS completed_at,
    dt_of(requested_us) AS created_at,
    -- a batch job's status change that did not bump updated_at
    dt_of(CASE WHEN stale_updated_at THEN requested_us ELSE last_change END) AS updated_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

# append-only (arrival precomputed in the world: ``synced_us``)
_LEDGER_SQL = """
SELECT
    entry_idx AS id, txn_idx AS transaction_id, account_idx AS account_id, direction,
    amount_minor, currency,
    dt_of(posted_us) AS posted_at,
    ts_of(created_us) AS created_at,  -- timestamp(6): lands as ts, unlike every other time here
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, ts_of(synced_us) AS synced FROM _world.app_ledger_entries) AS l
"""

_FX_SQL = """
SELECT
    fx_idx AS id, date_of(rate_date_us) AS rate_date, base_currency, quote_currency, rate,
    'openexchangerates' AS source,
    dt_of(created_us) AS created_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, ts_of(synced_us) AS synced FROM _world.app_fx_rates) AS f
"""

_CURRENCIES_SQL = f"""
WITH {CTE}
SELECT code, name, minor_unit, CAST(is_enabled AS INTEGER) AS is_enabled,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("floor")} AS synced FROM _world.app_currencies, c) AS s
"""

_REFERRALS_SQL = f"""
WITH {CTE},
s AS (
    SELECT r.*, cut, floor,
        greatest(created_us, {_a("qualified_us")}, {_a("paid_us")}, {_a("void_us")}) AS last_change
    FROM _world.app_referrals r, c WHERE r.created_us < c.cut
)
SELECT
    referral_idx AS id, referrer_app_user_id AS referrer_user_id,
    referee_app_user_id AS referee_user_id, reward_minor, currency,
    CASE WHEN {_a("paid_us")} >= 0 THEN 'paid' WHEN {_a("qualified_us")} >= 0 THEN 'qualified'
         WHEN {_a("void_us")} >= 0 THEN 'void' ELSE 'pending' END AS status,
    dt_of(created_us) AS created_at,
    dt_of({_a("qualified_us")}) AS qualified_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

_ERASURES_SQL = f"""
WITH {CTE},
s AS (
    SELECT e.*, cut, floor,
        greatest(requested_us, {_a("completed_us")}, {_a("rejected_us")}) AS last_change
    FROM _world.app_erasures e, c WHERE e.requested_us < c.cut
)
SELECT
    erasure_idx AS id, app_user_id AS user_id, scope,
    CASE WHEN {_a("completed_us")} >= 0 THEN 'completed' WHEN {_a("rejected_us")} >= 0 THEN 'rejected'
         ELSE 'received' END AS status,
    dt_of(requested_us) AS requested_at,
    dt_of({_a("completed_us")}) AS completed_at,
    synced AS _fivetran_synced,
    false AS _fivetran_deleted,
    synced AS _arrival_at
FROM (SELECT *, {_synced("last_change")} AS synced FROM s) AS s
"""

register(
    RawTable(
        SCHEMA,
        "users",
        cols(
            "id:int, public_id, email, email_verified_at:dt, first_name, last_name, date_of_birth:date, "
            "country_code, signup_platform, referral_code, referred_by_user_id:int, kyc_status, "
            "kyc_approved_at:dt, investor_category, marketing_opt_in:int, is_staff:int, is_test:int, "
            "status, closed_at:dt, stripe_customer_id, hubspot_contact_id:int, created_at:dt, "
            "updated_at:dt, deleted_at:dt" + FT
        ),
        _USERS_SQL,
        "App users as of the cut-off: KYC status, soft deletes (deleted_at), hard "
        "deletes (_fivetran_deleted), PII nulled after a completed GDPR erasure.",
        mode="state",
        grain="user",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "accounts",
        cols(
            "id:int, public_id, user_id:int, owner_type, account_type, currency, status, opened_at:dt, "
            "closed_at:dt, created_at:dt, updated_at:dt" + FT
        ),
        _ACCOUNTS_SQL,
        "Wallet and ledger accounts: customer cash/investment/ISA accounts and "
        "the platform's clearing, fees, interest and FX accounts per currency.",
        mode="state",
        grain="account",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "products",
        cols(
            "id:int, code, name, product_type, currency, annual_rate_bps:int, term_days:int, "
            "notice_days:int, min_investment_minor:int, max_investment_minor:int, risk_band, "
            "is_isa_eligible:int, is_active:int, launched_at:dt, retired_at:dt, created_at:dt, "
            "updated_at:dt" + FT
        ),
        _PRODUCTS_SQL,
        "Investable products with their current rate.",
        mode="state",
        grain="product",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "product_rates",
        cols(
            "id:int, product_id:int, annual_rate_bps:int, valid_from:dt, valid_to:dt, created_at:dt"
            + FT
        ),
        _PRODUCT_RATES_SQL,
        "Rate versions of each product (two products have an overlap or a gap).",
        mode="state",
        grain="rate version",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "investments",
        cols(
            "id:int, public_id, user_id:int, account_id:int, product_id:int, status, principal_minor:int, "
            "currency, annual_rate_bps:int, channel, placed_at:dt, activated_at:dt, maturity_date:date, "
            "closed_at:dt, created_at:dt, updated_at:dt" + FT
        ),
        _INVESTMENTS_SQL,
        "Holdings: placed, activated, matured / withdrawn / cancelled / defaulted.",
        mode="state",
        grain="investment",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "transactions",
        cols(
            "id:int, public_id, user_id:int, type, status, amount_minor:int, currency, investment_id:int, "
            "reverses_transaction_id:int, external_provider, external_id, idempotency_key, "
            "requested_at:dt, completed_at:dt, created_at:dt, updated_at:dt" + FT
        ),
        _TRANSACTIONS_SQL,
        "Money movements (headers) as of the cut-off; failed idempotency "
        "retries share their original's idempotency_key.",
        mode="state",
        grain="transaction",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "ledger_entries",
        cols(
            "id:int, transaction_id:int, account_id:int, direction, amount_minor:int, currency, "
            "posted_at:dt, created_at:ts" + FT
        ),
        _LEDGER_SQL,
        "Double-entry lines, append-only: debits = credits per transaction and currency.",
        mode="append",
        grain="ledger line",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "currencies",
        cols("code, name, minor_unit:int, is_enabled:int" + FT),
        _CURRENCIES_SQL,
        "ISO-4217 currencies and their exponents.",
        mode="state",
        grain="currency",
        keys=["code"],
    ),
    RawTable(
        SCHEMA,
        "fx_rates",
        cols(
            "id:int, rate_date:date, base_currency, quote_currency, rate:num, source, created_at:dt"
            + FT
        ),
        _FX_SQL,
        "Daily GBP-based FX rates, business days only (no weekend or holiday rows).",
        mode="append",
        grain="day x currency pair",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "referrals",
        cols(
            "id:int, referrer_user_id:int, referee_user_id:int, reward_minor:int, currency, status, "
            "created_at:dt, qualified_at:dt" + FT
        ),
        _REFERRALS_SQL,
        "Referrals: qualified at the referee's first deposit, reward paid next night.",
        mode="state",
        grain="referral",
        keys=["id"],
    ),
    RawTable(
        SCHEMA,
        "erasure_requests",
        cols("id:int, user_id:int, scope, status, requested_at:dt, completed_at:dt" + FT),
        _ERASURES_SQL,
        "GDPR erasure requests.",
        mode="state",
        grain="request",
        keys=["id"],
    ),
)

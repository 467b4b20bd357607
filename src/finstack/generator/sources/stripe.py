"""Stripe, as Fivetran's Stripe connector lands it (raw-sources.md §3).

Every card deposit of the app (``app_transactions`` with ``type='deposit'`` and
``method='card'``, idempotency duplicates aside) is one PaymentIntent whose id is the app's
``transactions.external_id`` (``sid('pi_', 'pi', txn_idx)``); its charges,
the refunds of the app's ``refund`` transactions, a few disputes, the balance
transactions and their fee split, the daily payouts, the customers (one per
user with a card deposit) and their cards. Test-mode objects from internal
users' test cards are mixed in with ``livemode = false``.

The optional subscription group (``subscription_history``, ``invoice``...) is
not generated.

World frames added (all ``stripe_*``): ``stripe_intents``, ``stripe_charges``,
``stripe_refunds``, ``stripe_disputes``, ``stripe_balance_txns``,
``stripe_fees``, ``stripe_customers``, ``stripe_payment_methods``,
``stripe_payouts``. Objects that change after creation (charges, intents,
refunds, disputes, balance transactions, customers, payouts) are ``state``
tables: their SQL shows each object as of the delivery cut-off, and
``_fivetran_synced`` is a few minutes (the object's ``lag_us``) after its last
change that the connector could have seen before the cut-off.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finstack.generator.config import (
    MIN_DEFECT_COUNT,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    Defect,
    defect_count,
    register_defects,
)
from finstack.generator.tables import Column, RawTable, cols, register
from finstack.generator.world import NEVER, World

SCHEMA = "stripe"

register_defects(
    Defect(
        "stripe_presentment",
        "stripe",
        "charge.currency jpy/kwd/isk/eur while its balance_transaction is GBP with exchange_rate",
        0.08,
        "live charges",
    ),
    Defect(
        "stripe_declines_retries",
        "stripe",
        "1-3 failed charges under one payment_intent, then a succeeded charge",
        0.10,
        "live payment intents",
    ),
    Defect(
        "stripe_late_refunds",
        "stripe",
        "refunds (from the app's refund transactions) days after the charge, some partial; "
        "charge.amount_refunded updated on re-sync",
        0.02,
        "succeeded live charges",
    ),
    Defect(
        "stripe_disputes",
        "stripe",
        "disputes on succeeded charges, won and lost",
        0.002,
        "succeeded live charges",
    ),
    Defect(
        "stripe_test_mode",
        "stripe",
        "extra livemode = false intents/charges/customers from internal users' test cards",
        0.01,
        "live payment intents",
    ),
    Defect(
        "stripe_orphans",
        "stripe",
        "charges and intents with no customer_id and/or no metadata.user_public_id",
        0.01,
        "live payment intents with charges",
    ),
    Defect(
        "stripe_optional_column_absent",
        "stripe",
        "balance_transaction.reporting_category declared but not landed (older data)",
        1.0,
        "tables (balance_transaction)",
    ),
)

# presentment currencies of international cards: (code, units per GBP, Stripe exponent,
# rounding step in minor units, card countries)
PRESENTMENT = [
    ("jpy", 195.0, 0, 1, ["JP"]),
    ("kwd", 0.385, 3, 10, ["KW"]),  # Stripe wants the last of the 3 decimals to be 0
    ("isk", 172.0, 2, 100, ["IS"]),  # ISO exponent 0, Stripe exponent 2: whole krona x 100
    ("eur", 1.17, 2, 1, ["DE", "FR", "IE", "ES", "NL"]),
]
PRESENTMENT_MIX = np.array([0.30, 0.15, 0.15, 0.40])

FAILURES = np.array(["card_declined", "insufficient_funds", "expired_card"])
FAILURE_MIX = np.array([0.55, 0.30, 0.15])
FAILURE_MESSAGES = {
    "card_declined": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
    "expired_card": "Your card has expired.",
}
DECLINE_CODES = np.array(["generic_decline", "do_not_honor", "fraudulent"])

# processing fee: 1.5% + a fixed part in the settlement currency's minor unit
FEE_RATE = 0.015
FEE_FIXED = {"gbp": 20, "eur": 25, "usd": 30}
FX_FEE_RATE = 0.02  # currency conversion fee on presentment charges
DISPUTE_FEE = {"gbp": 2000, "eur": 2000, "usd": 1500}


def _lag(rng: np.random.Generator, n: int) -> np.ndarray:
    """Connector lag: a few minutes between a change in Stripe and its sync."""
    return rng.integers(2 * US_PER_MINUTE, 20 * US_PER_MINUTE, size=n).astype(np.int64)


def _midnight(us: np.ndarray) -> np.ndarray:
    return (np.asarray(us) // US_PER_DAY) * US_PER_DAY


def _email_variant(email: pd.Series, variant: np.ndarray) -> np.ndarray:
    """Apply users.email_variant: 0 as in the app, 1 upper-cased, 2 padded with spaces."""
    e = email.fillna("").astype(object)
    out = np.where(variant == 1, e.str.upper(), np.where(variant == 2, " " + e + " ", e))
    return np.where(email.isna().to_numpy(), None, out).astype(object)


def _to_presentment(
    rng: np.random.Generator, gbp_minor: np.ndarray, code_idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GBP minor amounts -> (presentment minor amount, currency, units-per-GBP rate) with
    each currency's Stripe exponent and rounding rule."""
    n = len(gbp_minor)
    amount = np.zeros(n, dtype=np.int64)
    cur = np.empty(n, dtype=object)
    rate = np.zeros(n)
    noise = rng.normal(1.0, 0.01, size=n)  # the day's rate moves around
    for k, (code, per_gbp, exp, step, _) in enumerate(PRESENTMENT):
        m = code_idx == k
        r = per_gbp * noise[m]
        minor = gbp_minor[m] / 100.0 * r * 10**exp
        amount[m] = np.maximum(np.round(minor / step).astype(np.int64), 1) * step
        cur[m] = code
        rate[m] = r
    return amount, cur, rate


def _scale_presentment(
    full_amount: np.ndarray, part: np.ndarray, whole: np.ndarray, currency: np.ndarray
) -> np.ndarray:
    """A partial refund in the charge currency: the same share of the charge amount,
    rounded to the currency's Stripe step."""
    step = np.ones(len(full_amount), dtype=np.int64)
    for code, _, _, s, _ in PRESENTMENT:
        step[currency == code] = s
    share = part / np.maximum(whole, 1)
    out = np.maximum(np.round(full_amount * share / step).astype(np.int64), 1) * step
    return np.where(part >= whole, full_amount, np.minimum(out, full_amount))


def _pick_visible_first(
    rng: np.random.Generator, pool: np.ndarray, k: int, visible: np.ndarray
) -> np.ndarray:
    """``k`` distinct items of ``pool``, at least MIN_DEFECT_COUNT of them among the
    ``visible`` ones (created before the end date), so the initial delivery shows them."""
    first = rng.choice(
        pool[visible], size=min(int(visible.sum()), MIN_DEFECT_COUNT, k), replace=False
    )
    rest_pool = np.setdiff1d(pool, first)
    rest = rng.choice(rest_pool, size=min(len(rest_pool), k - len(first)), replace=False)
    return np.concatenate([first, rest]).astype(np.int64)


def _metadata(public_id: np.ndarray, has_public_id: np.ndarray, extra: pd.Series) -> np.ndarray:
    """``{"user_public_id": ..., <extra>}`` JSON text; ``extra`` is the tail of the object."""
    pid = pd.Series(public_id, dtype=object).fillna("")
    with_pid = '{"user_public_id": "' + pid + '"' + np.where(extra.eq(""), "", ", ") + extra + "}"
    without = "{" + extra + "}"
    return np.where(has_public_id & pid.ne("").to_numpy(), with_pid, without).astype(object)


def simulate(world: World) -> None:
    """Add the Stripe world frames, built from the app's card deposits and refunds."""
    rng = world.rng("stripe")
    win = world.window
    horizon = win.horizon_us
    users = world["users"]
    tx = world["app_transactions"]
    erasures = world["app_erasures"]
    user_pos = pd.Index(users.app_user_id.to_numpy())

    # ---------------------------------------------------------------- live intents
    # an idempotency retry (retry_of_txn_idx set) is the app's duplicate row: it never
    # reached Stripe (its transactions.external_id is NULL)
    dep = tx.loc[(tx["type"] == "deposit") & (tx["method"] == "card") & (tx.retry_of_txn_idx < 0)]
    dep = dep.sort_values("txn_idx").reset_index(drop=True)
    n = len(dep)
    status = dep["status"].astype(str).to_numpy()
    completed = dep.completed_us.to_numpy().astype(np.int64)
    requested = dep.requested_us.to_numpy().astype(np.int64)
    succ = np.isin(status, ["completed", "reversed"]) & (completed >= 0)
    failed = ~succ & (status == "failed")
    pending = ~succ & ~failed

    n_fail = np.zeros(n, dtype=np.int64)
    n_fail[failed] = 1 + rng.choice(3, size=int(failed.sum()), p=[0.6, 0.3, 0.1])
    succ_idx = np.flatnonzero(succ)
    k = min(len(succ_idx), defect_count("stripe_declines_retries", n))
    retried = rng.choice(succ_idx, size=k, replace=False)
    n_fail[retried] = 1 + rng.choice(3, size=k, p=[0.6, 0.3, 0.1])
    n_charges = n_fail + succ

    created = requested + rng.integers(200_000, 2 * US_PER_SECOND, size=n)
    success_at = np.where(
        succ,
        np.maximum(
            completed - rng.integers(US_PER_SECOND, 10 * US_PER_SECOND, size=n),
            created + US_PER_SECOND // 2,
        ),
        NEVER,
    )
    # failed intents: the user gives up; the app cancels 60% of them a day later
    fail_gap = (rng.exponential(45.0, size=n) * US_PER_SECOND).astype(np.int64) + 2 * US_PER_SECOND
    if "failed_us" in dep.columns:
        # the app marks the deposit failed after the last declined attempt
        failed_at = dep.failed_us.to_numpy().astype(np.int64)
        fit = failed & (failed_at > created)
        fail_gap[fit] = np.maximum((failed_at[fit] - created[fit]) // np.maximum(n_fail[fit], 1), 1)
    last_fail_at = created + n_fail * fail_gap
    canceled_at = np.where(failed & (rng.random(n) < 0.6), last_fail_at + US_PER_DAY, NEVER)
    canceled_at[canceled_at >= horizon] = NEVER

    u = user_pos.get_indexer(dep.app_user_id.to_numpy())
    if (u < 0).any():
        raise ValueError("app_transactions card deposits reference unknown app_user_id")
    ccy = dep.currency.astype(str).str.lower().to_numpy().astype(object)
    settle = dep.amount_minor.to_numpy().astype(np.int64)

    # presentment != settlement: GBP deposits paid with a foreign card
    has_charges = n_charges > 0
    elig = np.flatnonzero(has_charges & (ccy == "gbp"))
    k = min(len(elig), defect_count("stripe_presentment", int(has_charges.sum())))
    pres = np.zeros(n, dtype=bool)
    pres[rng.choice(elig, size=k, replace=False)] = True
    amount = settle.copy()
    pcur = ccy.copy()
    xrate = np.full(n, np.nan)
    pcode = rng.choice(len(PRESENTMENT), size=n, p=PRESENTMENT_MIX)
    pamt, pc, _ = _to_presentment(rng, settle[pres], pcode[pres])
    amount[pres], pcur[pres] = pamt, pc
    exps = np.array([p[2] for p in PRESENTMENT])[pcode[pres]]
    # Stripe: presentment amount x exchange_rate = settlement amount
    xrate[pres] = np.round((settle[pres] / 100.0) / (pamt / 10.0**exps), 6)

    # orphans: no customer (guest checkout) and/or no user_public_id in metadata
    with_ch = np.flatnonzero(has_charges)
    k = min(len(with_ch), defect_count("stripe_orphans", len(with_ch)))
    orphan = _pick_visible_first(rng, with_ch, k, created[with_ch] < win.end_us - US_PER_HOUR)
    kind = rng.choice(3, size=k, p=[0.4, 0.4, 0.2])  # 0 no customer, 1 no public id, 2 both
    has_customer = np.ones(n, dtype=bool)
    has_pid = np.ones(n, dtype=bool)
    has_customer[orphan[kind != 1]] = False
    has_pid[orphan[kind != 0]] = False

    final_status = np.select(
        [succ, canceled_at >= 0, pending],
        ["succeeded", "canceled", "requires_action"],
        "requires_payment_method",
    ).astype(object)
    final_us = np.select([succ, canceled_at >= 0], [success_at, canceled_at], NEVER)

    live = pd.DataFrame(
        {
            "intent_key": dep.txn_idx.to_numpy().astype(np.int64),
            "id_ns": "pi",
            "livemode": True,
            "txn_idx": dep.txn_idx.to_numpy().astype(np.int64),
            "app_user_id": dep.app_user_id.to_numpy().astype(np.int64),
            "user_pos": u,
            "has_customer": has_customer,
            "has_public_id": has_pid,
            "amount": amount,
            "currency": pcur,
            "settle_amount": settle,
            "settle_currency": np.where(pres, "gbp", ccy).astype(object),
            "exchange_rate": xrate,
            "is_presentment": pres,
            "pres_code": np.where(pres, pcode, -1),
            "created_us": created,
            "n_fail": n_fail,
            "succeeds": succ,
            "success_us": success_at,
            "fail_gap_us": fail_gap,
            "final_status": final_status,
            "final_us": final_us,
            "cancellation_reason": np.where(canceled_at >= 0, "abandoned", None).astype(object),
        }
    )

    # ---------------------------------------------------------------- test-mode intents
    trng = world.rng("stripe_test_mode")
    internal = np.flatnonzero(
        users.is_internal.to_numpy()
        & (users.signup_us.to_numpy() >= 0)
        & (users.signup_us.to_numpy() < horizon - US_PER_DAY)
    )
    n_test = defect_count("stripe_test_mode", n) if len(internal) else 0
    # QA runs spread over the window (the first few before the end date, so the initial
    # delivery shows them), each by an internal user already signed up by then
    until = np.full(n_test, horizon - US_PER_HOUR)
    until[:MIN_DEFECT_COUNT] = win.end_us - US_PER_HOUR
    t_created = win.start_us + (trng.random(n_test) * (until - win.start_us)).astype(np.int64)
    isign = np.sort(users.signup_us.to_numpy()[internal])
    t_created = np.maximum(t_created, isign[0] + US_PER_HOUR) if n_test else t_created
    avail = np.searchsorted(isign, t_created - US_PER_HOUR, side="right")  # signed up >= 1 h before
    by_signup = internal[np.argsort(users.signup_us.to_numpy()[internal], kind="stable")]
    tu = by_signup[(trng.random(n_test) * avail).astype(np.int64)]
    t_succ = trng.random(n_test) < 0.85
    t_fail = np.where(
        t_succ, (trng.random(n_test) < 0.15).astype(np.int64), 1 + trng.choice(2, size=n_test)
    )
    t_amt = trng.choice([100, 500, 1000, 2000, 5000, 10000], size=n_test).astype(np.int64)
    t_gap = (trng.exponential(20.0, size=n_test) * US_PER_SECOND).astype(np.int64) + US_PER_SECOND
    t_success = np.where(t_succ, t_created + (t_fail + 1) * t_gap, NEVER)
    test = pd.DataFrame(
        {
            "intent_key": np.arange(n_test, dtype=np.int64),
            "id_ns": "pi_test",
            "livemode": False,
            "txn_idx": np.full(n_test, NEVER, dtype=np.int64),
            "app_user_id": users.app_user_id.to_numpy()[tu].astype(np.int64),
            "user_pos": tu,
            "has_customer": True,
            "has_public_id": True,
            "amount": t_amt,
            "currency": "gbp",
            "settle_amount": t_amt,
            "settle_currency": "gbp",
            "exchange_rate": np.nan,
            "is_presentment": False,
            "pres_code": -1,
            "created_us": t_created,
            "n_fail": t_fail,
            "succeeds": t_succ,
            "success_us": t_success,
            "fail_gap_us": t_gap,
            "final_status": np.where(t_succ, "succeeded", "requires_payment_method").astype(object),
            "final_us": t_success,
            "cancellation_reason": None,
        }
    )
    intents = pd.concat([live, test], ignore_index=True)
    intents.insert(0, "intent_idx", np.arange(len(intents), dtype=np.int64))
    m = len(intents)
    up = intents.user_pos.to_numpy()
    intents["lag_us"] = _lag(rng, m)
    intents["cus_ns"] = np.where(intents.livemode, "cus", "cus_test").astype(object)

    # ---------------------------------------------------------------- customers
    email = _email_variant(users.email, users.email_variant.to_numpy())
    cus = (
        intents.groupby(["cus_ns", "app_user_id"], sort=True)
        .agg(
            first_us=("created_us", "min"),
            user_pos=("user_pos", "first"),
            livemode=("livemode", "first"),
        )
        .reset_index()
    )
    first_ccy = (
        intents.sort_values("created_us").groupby(["cus_ns", "app_user_id"]).settle_currency.first()
    )
    cus["currency"] = first_ccy.reindex(
        pd.MultiIndex.from_frame(cus[["cus_ns", "app_user_id"]])
    ).to_numpy()
    nc = len(cus)
    cus["created_us"] = cus.first_us - rng.integers(US_PER_SECOND, 20 * US_PER_SECOND, size=nc)
    cup = cus.user_pos.to_numpy()
    cus["email"] = email[cup]
    cus["name"] = (
        users.first_name.astype(object).to_numpy()[cup]
        + " "
        + users.last_name.astype(object).to_numpy()[cup]
    )
    cus["public_id"] = users.public_id.astype(object).to_numpy()[cup]
    er = erasures.loc[
        (erasures["status"].astype(str) == "completed")
        & (erasures["scope"].astype(str) == "full")
        & (erasures.completed_us >= 0)
    ]
    er_done = er.groupby("app_user_id").completed_us.min()
    done = er_done.reindex(cus.app_user_id.to_numpy()).to_numpy()
    deleted = np.where(
        cus.livemode.to_numpy() & ~np.isnan(done),
        np.nan_to_num(done, nan=0).astype(np.int64)
        + rng.integers(US_PER_MINUTE, US_PER_HOUR, size=nc),
        NEVER,
    )
    cus["deleted_us"] = np.where(deleted >= cus.created_us.to_numpy(), deleted, NEVER)
    cus["metadata"] = (
        '{"user_public_id": "'
        + cus.public_id.astype(object)
        + '", "app_user_id": "'
        + cus.app_user_id.astype(str).astype(object)
        + '"}'
    )
    cus["lag_us"] = _lag(rng, nc)
    cus = cus.drop(columns=["first_us"])

    # ---------------------------------------------------------------- payment methods
    pm_parts = []
    # each customer's card; 20% of customers with several intents add a second one
    cus_key = pd.MultiIndex.from_frame(cus[["cus_ns", "app_user_id"]])
    pm1 = pd.DataFrame(
        {"customer_row": np.arange(nc), "created_us": cus.created_us.to_numpy(), "kind": "primary"}
    )
    pm_parts.append(pm1)
    ikey = pd.MultiIndex.from_frame(intents[["cus_ns", "app_user_id"]])
    intents["customer_row"] = cus_key.get_indexer(ikey)
    order = intents.sort_values(["customer_row", "created_us"]).index.to_numpy()
    crow = intents.customer_row.to_numpy()[order]
    rank = np.arange(m) - np.searchsorted(crow, crow, side="left")
    cnt = np.bincount(crow, minlength=nc)
    second = (cnt >= 2) & (rng.random(nc) < 0.2) & cus.livemode.to_numpy()
    pick = 1 + (rng.random(nc) * np.maximum(cnt - 1, 1)).astype(np.int64)
    switch_rows = order[second[crow] & (rank == pick[crow])]
    switch_cus = intents.customer_row.to_numpy()[switch_rows]
    pm2_created = np.full(nc, NEVER, dtype=np.int64)
    pm2_created[switch_cus] = intents.created_us.to_numpy()[switch_rows] - 30 * US_PER_SECOND
    pm_parts.append(
        pd.DataFrame(
            {"customer_row": switch_cus, "created_us": pm2_created[switch_cus], "kind": "second"}
        )
    )
    # foreign cards of presentment intents; guest cards of orphans without a customer
    special = np.flatnonzero(intents.is_presentment.to_numpy() | ~intents.has_customer.to_numpy())
    pm_parts.append(
        pd.DataFrame(
            {
                "customer_row": np.where(
                    intents.has_customer.to_numpy()[special],
                    intents.customer_row.to_numpy()[special],
                    -1,
                ),
                "created_us": intents.created_us.to_numpy()[special] - 5 * US_PER_SECOND,
                "kind": np.where(intents.is_presentment.to_numpy()[special], "foreign", "guest"),
                "intent_idx": special,
            }
        )
    )
    pms = pd.concat(pm_parts, ignore_index=True)
    pms["intent_idx"] = pms.intent_idx.fillna(-1).astype(np.int64)
    pms.insert(0, "pm_idx", np.arange(len(pms), dtype=np.int64))
    npm = len(pms)
    has_c = pms.customer_row.to_numpy() >= 0
    cr = np.maximum(pms.customer_row.to_numpy(), 0)
    pms["livemode"] = np.where(has_c, cus.livemode.to_numpy()[cr], True)
    pms["cus_ns"] = np.where(has_c, cus.cus_ns.to_numpy()[cr], None).astype(object)
    pms["app_user_id"] = np.where(has_c, cus.app_user_id.to_numpy()[cr], NEVER).astype(np.int64)
    # card details
    owner_pos = np.where(
        has_c, cus.user_pos.to_numpy()[cr], up[np.maximum(pms.intent_idx.to_numpy(), 0)]
    )
    country = users.country_code.astype(object).to_numpy()[owner_pos].copy()
    foreign = pms.kind.to_numpy() == "foreign"
    fcode = intents.pres_code.to_numpy()[np.maximum(pms.intent_idx.to_numpy(), 0)]
    for kk, (_, _, _, _, countries) in enumerate(PRESENTMENT):
        sel = foreign & (fcode == kk)
        country[sel] = rng.choice(countries, size=int(sel.sum()))
    brand = rng.choice(["visa", "mastercard", "amex"], size=npm, p=[0.6, 0.33, 0.07]).astype(object)
    funding = rng.choice(["debit", "credit", "prepaid"], size=npm, p=[0.7, 0.28, 0.02]).astype(
        object
    )
    funding[foreign] = "credit"
    wallet = rng.choice(
        np.array([None, "apple_pay", "google_pay"], dtype=object), size=npm, p=[0.8, 0.12, 0.08]
    )
    test_pm = ~pms.livemode.to_numpy()
    brand[test_pm], country[test_pm], funding[test_pm], wallet[test_pm] = (
        "visa",
        "US",
        "credit",
        None,
    )
    pms["brand"], pms["country"], pms["funding"], pms["wallet_type"] = (
        brand,
        country,
        funding,
        wallet,
    )
    pms["lag_us"] = _lag(rng, npm)

    # which card each intent used
    pm_of_intent = np.full(m, NEVER, dtype=np.int64)
    prim = pms.loc[pms.kind == "primary"]
    primary_pm = np.full(nc, NEVER, dtype=np.int64)
    primary_pm[prim.customer_row.to_numpy()] = prim.pm_idx.to_numpy()
    sec = pms.loc[pms.kind == "second"]
    second_pm = np.full(nc, NEVER, dtype=np.int64)
    second_pm[sec.customer_row.to_numpy()] = sec.pm_idx.to_numpy()
    icr = intents.customer_row.to_numpy()
    use2 = (second_pm[icr] >= 0) & (intents.created_us.to_numpy() >= pm2_created[icr])
    pm_of_intent[:] = np.where(use2, second_pm[icr], primary_pm[icr])
    sp = pms.loc[pms.intent_idx >= 0]
    pm_of_intent[sp.intent_idx.to_numpy()] = sp.pm_idx.to_numpy()
    intents["pm_idx"] = pm_of_intent

    # intent-level strings
    intents["receipt_email"] = np.where(intents.has_customer, email[up], None).astype(object)
    intents["billing_country"] = pms.country.to_numpy()[pm_of_intent]
    extra = np.where(
        intents.livemode,
        '"transaction_id": "' + intents.txn_idx.astype(str).astype(object) + '"',
        '"purpose": "qa_test_card"',
    )
    intents["metadata"] = _metadata(
        users.public_id.astype(object).to_numpy()[up],
        intents.has_public_id.to_numpy(),
        pd.Series(extra, dtype=object),
    )

    # ---------------------------------------------------------------- charges
    nch = (intents.n_fail + intents.succeeds.astype(np.int64)).to_numpy()
    ci = np.repeat(np.arange(m), nch)
    attempt = np.arange(len(ci)) - np.repeat(np.cumsum(nch) - nch, nch)
    is_success = intents.succeeds.to_numpy()[ci] & (attempt == nch[ci] - 1)
    nfail_i = intents.n_fail.to_numpy()[ci]
    i_created = intents.created_us.to_numpy()[ci]
    i_success = intents.success_us.to_numpy()[ci]
    # failed attempts spread between the intent's creation and its success
    spread = np.where(
        i_success >= 0,
        (i_success - i_created) * (attempt + 1) // (nfail_i + 1),
        (attempt + 1) * intents.fail_gap_us.to_numpy()[ci],
    )
    ch_created = np.where(is_success, i_success, i_created + spread)
    nchg = len(ci)
    fcode_c = np.where(is_success, None, rng.choice(FAILURES, size=nchg, p=FAILURE_MIX)).astype(
        object
    )
    test_c = ~intents.livemode.to_numpy()[ci]
    fcode_c[test_c & ~is_success] = "card_declined"  # Stripe's 4000 0000 0000 0002 test card
    declined = fcode_c == "card_declined"
    blocked = declined & (rng.random(nchg) < 0.15)  # Radar blocks, the issuer never sees them
    decline = np.select(
        [declined, fcode_c == "insufficient_funds"],
        [rng.choice(DECLINE_CODES, size=nchg, p=[0.6, 0.3, 0.1]), "insufficient_funds"],
        None,
    ).astype(object)
    decline[blocked] = "fraudulent"
    outcome = np.select([is_success, blocked], ["authorized", "blocked"], "issuer_declined").astype(
        object
    )
    elevated = rng.random(nchg) < 0.05
    risk_level = np.select([blocked, elevated], ["highest", "elevated"], "normal").astype(object)
    risk_score = np.select(
        [blocked, elevated],
        [rng.integers(76, 100, size=nchg), rng.integers(65, 76, size=nchg)],
        rng.integers(0, 65, size=nchg),
    )
    charges = pd.DataFrame(
        {
            "charge_idx": np.arange(nchg, dtype=np.int64),
            "intent_idx": ci.astype(np.int64),
            "attempt": attempt.astype(np.int64),
            "status": np.where(is_success, "succeeded", "failed").astype(object),
            "failure_code": fcode_c,
            "failure_message": pd.Series(fcode_c, dtype=object).map(FAILURE_MESSAGES).to_numpy(),
            "decline_code": decline,
            "outcome_type": outcome,
            "outcome_risk_level": risk_level,
            "outcome_risk_score": risk_score.astype(np.int64),
            "created_us": ch_created.astype(np.int64),
            "livemode": ~test_c,
            "lag_us": _lag(rng, nchg),
        }
    )
    success_charge = np.full(m, NEVER, dtype=np.int64)
    success_charge[ci[is_success]] = np.flatnonzero(is_success)

    # ---------------------------------------------------------------- refunds
    rrng = world.rng("stripe_refunds")
    rf = tx.loc[tx["type"] == "refund"].sort_values("txn_idx").reset_index(drop=True)
    live_pos = pd.Index(live.txn_idx.to_numpy())  # live intents come first in `intents`
    ri = live_pos.get_indexer(rf.refund_of_txn_idx.to_numpy())
    ok = ri >= 0
    ok[ok] = success_charge[ri[ok]] >= 0
    rf, ri = rf.loc[ok].reset_index(drop=True), ri[ok]
    nr = len(rf)
    r_charge = success_charge[ri]
    r_settle = np.minimum(
        rf.amount_minor.to_numpy().astype(np.int64), intents.settle_amount.to_numpy()[ri]
    )
    r_ccy = intents.currency.to_numpy()[ri]
    r_amount = np.where(
        intents.is_presentment.to_numpy()[ri],
        _scale_presentment(
            intents.amount.to_numpy()[ri], r_settle, intents.settle_amount.to_numpy()[ri], r_ccy
        ),
        r_settle,
    )
    r_created = np.maximum(
        rf.requested_us.to_numpy().astype(np.int64),
        charges.created_us.to_numpy()[r_charge] + US_PER_MINUTE,
    )
    r_status_app = rf["status"].astype(str).to_numpy()
    r_done = rf.completed_us.to_numpy().astype(np.int64)
    r_final = np.select(
        [np.isin(r_status_app, ["completed", "reversed"]), r_status_app == "failed"],
        ["succeeded", "failed"],
        "pending",
    ).astype(object)
    r_final_us = np.select(
        [r_final == "succeeded", r_final == "failed"],
        [
            np.maximum(r_done, r_created + 2 * US_PER_SECOND),
            r_created + rrng.integers(US_PER_DAY, 5 * US_PER_DAY, size=nr),
        ],
        NEVER,
    )
    refunds = pd.DataFrame(
        {
            "refund_key": rf.txn_idx.to_numpy().astype(np.int64),
            "charge_idx": r_charge,
            "intent_idx": ri.astype(np.int64),
            "amount": r_amount.astype(np.int64),
            "currency": r_ccy,
            "settle_amount": r_settle,
            "settle_currency": intents.settle_currency.to_numpy()[ri],
            "exchange_rate": intents.exchange_rate.to_numpy()[ri],
            "reason": rrng.choice(
                ["requested_by_customer", "duplicate", "fraudulent"], size=nr, p=[0.8, 0.15, 0.05]
            ).astype(object),
            "created_us": r_created,
            "final_status": r_final,
            "final_us": r_final_us.astype(np.int64),
            "lag_us": _lag(rrng, nr),
        }
    )

    # ---------------------------------------------------------------- disputes
    drng = world.rng("stripe_disputes")
    live_succ = np.flatnonzero(is_success & ~test_c)
    refunded_charges = np.zeros(nchg, dtype=bool)
    refunded_charges[r_charge] = True
    cand = live_succ[
        ~refunded_charges[live_succ]
        & (charges.created_us.to_numpy()[live_succ] < horizon - 6 * US_PER_DAY)
    ]
    kd = min(len(cand), defect_count("stripe_disputes", len(live_succ)))
    # the first few are opened (and two won, two lost) before the end date, so the
    # initial delivery shows every status
    ch_at = charges.created_us.to_numpy()
    early = cand[ch_at[cand] < win.end_us - 40 * US_PER_DAY]
    if len(early) < MIN_DEFECT_COUNT:
        early = cand[ch_at[cand] < win.end_us - 6 * US_PER_DAY]
    k_early = min(len(early), MIN_DEFECT_COUNT, kd)
    first = drng.choice(early, size=k_early, replace=False)
    pool = np.setdiff1d(cand, first)
    rest = drng.choice(pool, size=min(len(pool), kd - k_early), replace=False)
    dch = np.concatenate([first, rest]).astype(np.int64)
    kd = len(dch)
    limit = np.where(np.arange(kd) < k_early, win.end_us, horizon)
    fast = np.zeros(kd, dtype=np.int64)  # 1 won, 2 lost before the end date
    fast[: min(k_early, 4)] = [1, 1, 2, 2][: min(k_early, 4)]
    d_ch_created = ch_at[dch]
    room_days = np.minimum(60.0, (limit - US_PER_HOUR - d_ch_created) / US_PER_DAY)
    room_days = np.where(fast > 0, np.minimum(room_days - 30.0, 10.0), room_days)
    room_days = np.maximum(room_days, 5.0)
    d_created = (
        d_ch_created
        + 5 * US_PER_DAY
        + (drng.random(kd) * (room_days - 5.0) * US_PER_DAY).astype(np.int64)
    )
    d_due = (
        _midnight(d_created + drng.integers(7, 22, size=kd) * US_PER_DAY)
        + US_PER_DAY
        - US_PER_SECOND
    )
    submits = (drng.random(kd) < 0.8) | (fast > 0)
    d_submitted = np.where(
        submits, d_created + drng.integers(US_PER_DAY, 6 * US_PER_DAY, size=kd), NEVER
    )
    won = np.where(fast > 0, fast == 1, submits & (drng.random(kd) < 0.55))
    review = np.where(
        fast > 0,
        drng.integers(10 * US_PER_DAY, 20 * US_PER_DAY, size=kd),
        drng.integers(20 * US_PER_DAY, 60 * US_PER_DAY, size=kd),
    )
    d_closed = np.where(submits, d_submitted + review, d_due + US_PER_HOUR)
    order = np.argsort(dch)
    dch, d_created, d_due, d_submitted, won, d_closed = (
        a[order] for a in (dch, d_created, d_due, d_submitted, won, d_closed)
    )
    di = ci[dch]
    disputes = pd.DataFrame(
        {
            "dispute_idx": np.arange(kd, dtype=np.int64),
            "charge_idx": dch.astype(np.int64),
            "intent_idx": di.astype(np.int64),
            "amount": intents.amount.to_numpy()[di],
            "currency": intents.currency.to_numpy()[di],
            "settle_amount": intents.settle_amount.to_numpy()[di],
            "settle_currency": intents.settle_currency.to_numpy()[di],
            "exchange_rate": intents.exchange_rate.to_numpy()[di],
            "reason": drng.choice(
                ["fraudulent", "unrecognized", "duplicate", "general"],
                size=kd,
                p=[0.5, 0.2, 0.1, 0.2],
            ).astype(object),
            "created_us": d_created.astype(np.int64),
            "evidence_due_us": d_due.astype(np.int64),
            "submitted_us": d_submitted.astype(np.int64),
            "closed_us": d_closed.astype(np.int64),
            "outcome": np.where(won, "won", "lost").astype(object),
            "is_charge_refundable": drng.random(kd) < 0.15,
            "lag_us": _lag(drng, kd),
        }
    )

    # ---------------------------------------------------------------- balance transactions
    brng = world.rng("stripe_balance")
    sc = np.flatnonzero(is_success)
    sci = ci[sc]
    s_settle = intents.settle_amount.to_numpy()[sci]
    s_cur = intents.settle_currency.to_numpy()[sci]
    s_pres = intents.is_presentment.to_numpy()[sci]
    fixed = pd.Series(s_cur, dtype=object).map(FEE_FIXED).fillna(20).to_numpy().astype(np.int64)
    fee_proc = np.round(s_settle * FEE_RATE).astype(np.int64) + fixed
    fee_fx = np.where(s_pres, np.round(s_settle * FX_FEE_RATE).astype(np.int64), 0)
    bt_charge = pd.DataFrame(
        {
            "type": "charge",
            "src_prefix": "ch_",
            "src_ns": "ch",
            "src_key": sc.astype(np.int64),
            "amount": s_settle,
            "fee_processing": fee_proc,
            "fee_fx": fee_fx,
            "fee_dispute": 0,
            "currency": s_cur,
            "exchange_rate": intents.exchange_rate.to_numpy()[sci],
            "created_us": charges.created_us.to_numpy()[sc],
            "available_us": _midnight(charges.created_us.to_numpy()[sc]) + 2 * US_PER_DAY,
            "livemode": charges.livemode.to_numpy()[sc],
            "charge_idx": sc.astype(np.int64),
        }
    )
    bt_refund = pd.DataFrame(
        {
            "type": "refund",
            "src_prefix": "re_",
            "src_ns": "re",
            "src_key": refunds.refund_key.to_numpy(),
            "amount": -refunds.settle_amount.to_numpy(),
            "fee_processing": 0,
            "fee_fx": 0,
            "fee_dispute": 0,
            "currency": refunds.settle_currency.to_numpy(),
            "exchange_rate": refunds.exchange_rate.to_numpy(),
            "created_us": refunds.created_us.to_numpy(),
            "available_us": refunds.created_us.to_numpy(),
            "livemode": True,
            "refund_row": np.arange(nr),
        }
    )
    rfail = np.flatnonzero(refunds.final_status.to_numpy() == "failed")
    bt_rfail = pd.DataFrame(
        {
            "type": "refund_failure",
            "src_prefix": "re_",
            "src_ns": "re",
            "src_key": refunds.refund_key.to_numpy()[rfail],
            "amount": refunds.settle_amount.to_numpy()[rfail],
            "fee_processing": 0,
            "fee_fx": 0,
            "fee_dispute": 0,
            "currency": refunds.settle_currency.to_numpy()[rfail],
            "exchange_rate": refunds.exchange_rate.to_numpy()[rfail],
            "created_us": refunds.final_us.to_numpy()[rfail],
            "available_us": _midnight(refunds.final_us.to_numpy()[rfail]) + 2 * US_PER_DAY,
            "livemode": True,
            "refund_fail_row": rfail,
        }
    )
    dcur = disputes.settle_currency.to_numpy()
    bt_dispute = pd.DataFrame(
        {
            "type": "adjustment",
            "src_prefix": "dp_",
            "src_ns": "dp",
            "src_key": disputes.dispute_idx.to_numpy(),
            "amount": -disputes.settle_amount.to_numpy(),
            "fee_processing": 0,
            "fee_fx": 0,
            "fee_dispute": pd.Series(dcur, dtype=object)
            .map(DISPUTE_FEE)
            .fillna(2000)
            .to_numpy()
            .astype(np.int64),
            "currency": dcur,
            "exchange_rate": disputes.exchange_rate.to_numpy(),
            "created_us": disputes.created_us.to_numpy(),
            "available_us": disputes.created_us.to_numpy(),
            "livemode": True,
            "dispute_row": np.arange(kd),
        }
    )
    dwon = np.flatnonzero(won)
    bt_dwon = pd.DataFrame(
        {
            "type": "adjustment",
            "src_prefix": "dp_",
            "src_ns": "dp",
            "src_key": disputes.dispute_idx.to_numpy()[dwon],
            "amount": disputes.settle_amount.to_numpy()[dwon],
            "fee_processing": 0,
            "fee_fx": 0,
            "fee_dispute": 0,
            "currency": dcur[dwon],
            "exchange_rate": disputes.exchange_rate.to_numpy()[dwon],
            "created_us": disputes.closed_us.to_numpy()[dwon],
            "available_us": _midnight(disputes.closed_us.to_numpy()[dwon]) + 2 * US_PER_DAY,
            "livemode": True,
        }
    )
    bts = pd.concat([bt_charge, bt_refund, bt_rfail, bt_dispute, bt_dwon], ignore_index=True)
    bts = bts.loc[bts.created_us < horizon].reset_index(drop=True)
    for c in ("charge_idx", "refund_row", "refund_fail_row", "dispute_row"):
        bts[c] = bts[c].fillna(-1).astype(np.int64)
    bts["fee"] = (bts.fee_processing + bts.fee_fx + bts.fee_dispute).astype(np.int64)

    # ---------------------------------------------------------------- payouts
    # daily automatic payout of the previous day's net, per settlement currency
    liveb = bts.loc[bts.livemode.to_numpy()]
    day = liveb.created_us.to_numpy() // US_PER_DAY
    daily = (
        pd.DataFrame(
            {
                "currency": liveb.currency.to_numpy(),
                "day": day,
                "net": (liveb.amount - liveb.fee).to_numpy(),
            }
        )
        .groupby(["currency", "day"], sort=True)
        .net.sum()
        .reset_index()
    )
    prng = world.rng("stripe_payouts")
    daily["created_us"] = (daily.day + 1) * US_PER_DAY + prng.integers(
        2 * US_PER_HOUR, 5 * US_PER_HOUR, size=len(daily)
    )
    daily = daily.loc[(daily.net > 0) & (daily.created_us < horizon)].reset_index(drop=True)
    npo = len(daily)
    payouts = pd.DataFrame(
        {
            "payout_idx": np.arange(npo, dtype=np.int64),
            "amount": daily.net.to_numpy().astype(np.int64),
            "currency": daily.currency.to_numpy(),
            "for_day": daily.day.to_numpy().astype(np.int64),
            "created_us": daily.created_us.to_numpy().astype(np.int64),
            "in_transit_us": daily.created_us.to_numpy()
            + prng.integers(30 * US_PER_MINUTE, 90 * US_PER_MINUTE, size=npo),
            "arrival_us": _midnight(daily.created_us.to_numpy()) + 2 * US_PER_DAY,
            "lag_us": _lag(prng, npo),
        }
    )
    payouts["paid_us"] = payouts.arrival_us + prng.integers(
        6 * US_PER_HOUR, 10 * US_PER_HOUR, size=npo
    )
    po_key = pd.MultiIndex.from_frame(payouts[["currency", "for_day"]])
    b_key = pd.MultiIndex.from_arrays(
        [bts.currency.to_numpy(), bts.created_us.to_numpy() // US_PER_DAY]
    )
    b_po = po_key.get_indexer(b_key)
    b_po[~bts.livemode.to_numpy()] = -1
    bts["payout_idx"] = b_po.astype(np.int64)
    bt_payout = pd.DataFrame(
        {
            "type": "payout",
            "src_prefix": "po_",
            "src_ns": "po",
            "src_key": payouts.payout_idx.to_numpy(),
            "amount": -payouts.amount.to_numpy(),
            "fee_processing": 0,
            "fee_fx": 0,
            "fee_dispute": 0,
            "fee": 0,
            "currency": payouts.currency.to_numpy(),
            "exchange_rate": np.nan,
            "created_us": payouts.created_us.to_numpy(),
            "available_us": payouts.created_us.to_numpy(),
            "livemode": True,
            "charge_idx": -1,
            "refund_row": -1,
            "refund_fail_row": -1,
            "dispute_row": -1,
            "payout_idx": payouts.payout_idx.to_numpy(),
        }
    )
    bts = pd.concat([bts, bt_payout], ignore_index=True)
    bts.insert(0, "bt_idx", np.arange(len(bts), dtype=np.int64))
    bts["lag_us"] = _lag(brng, len(bts))
    bts["payout_created_us"] = np.where(
        bts.payout_idx >= 0,
        payouts.created_us.to_numpy()[np.maximum(bts.payout_idx.to_numpy(), 0)],
        NEVER,
    ).astype(np.int64)

    # link objects to their balance transactions
    charges["bt_idx"] = NEVER
    cb = bts.loc[bts.charge_idx >= 0]
    charges.loc[cb.charge_idx.to_numpy(), "bt_idx"] = cb.bt_idx.to_numpy()
    for col, src in (("bt_idx", "refund_row"), ("failure_bt_idx", "refund_fail_row")):
        refunds[col] = NEVER
        b = bts.loc[bts[src] >= 0]
        refunds.loc[b[src].to_numpy(), col] = b.bt_idx.to_numpy()
    disputes["bt_idx"] = NEVER
    b = bts.loc[bts.dispute_row >= 0]
    disputes.loc[b.dispute_row.to_numpy(), "bt_idx"] = b.bt_idx.to_numpy()
    pb = bts.loc[bts["type"] == "payout"]
    payouts["bt_idx"] = NEVER
    payouts.loc[pb.src_key.to_numpy(), "bt_idx"] = pb.bt_idx.to_numpy()

    # fee split: one row per fee component, summing to balance_transaction.fee
    fee_parts = []
    for col, ftype, desc in (
        ("fee_processing", "stripe_fee", "Stripe processing fees"),
        ("fee_fx", "stripe_fee", "Currency conversion fee"),
        ("fee_dispute", "stripe_fee", "Dispute fee"),
    ):
        sel = bts.loc[bts[col] > 0]
        fee_parts.append(
            pd.DataFrame(
                {
                    "bt_idx": sel.bt_idx.to_numpy(),
                    "type": ftype,
                    "amount": sel[col].to_numpy().astype(np.int64),
                    "currency": sel.currency.to_numpy(),
                    "description": desc,
                    "order": len(fee_parts),
                }
            )
        )
    fees = (
        pd.concat(fee_parts, ignore_index=True)
        .sort_values(["bt_idx", "order"])
        .reset_index(drop=True)
    )
    fb = fees.bt_idx.to_numpy()
    fees["fee_index"] = (np.arange(len(fees)) - np.searchsorted(fb, fb, side="left")).astype(
        np.int64
    )
    fees = fees.drop(columns=["order"])
    bts = bts.drop(columns=["fee_processing", "fee_fx", "fee_dispute"])

    intents = intents.drop(columns=["user_pos", "fail_gap_us"])
    cus = cus.drop(columns=["user_pos"])
    world.add("stripe_intents", intents)
    world.add("stripe_charges", charges)
    world.add("stripe_refunds", refunds)
    world.add("stripe_disputes", disputes)
    world.add("stripe_balance_txns", bts)
    world.add("stripe_fees", fees)
    world.add("stripe_customers", cus)
    world.add("stripe_payment_methods", pms.drop(columns=["kind"]))
    world.add("stripe_payouts", payouts)


# ---------------------------------------------------------------------------- raw tables
# ``cut.c`` is the delivery cut-off in epoch µs. A change at instant t is visible to the
# connector (synced) when t + the object's lag_us is before the cut-off.
CUT = "cut AS (SELECT epoch_us({cutoff}) AS c)"


def _seen(t: str, lag: str = "lag_us") -> str:
    return f"({t} >= 0 AND {t} + {lag} < cut.c)"


def _synced(*changes: str, lag: str = "lag_us") -> str:
    """ts of the last visible change (the first one, created, always counts) plus the lag."""
    first, rest = changes[0], changes[1:]
    parts = [first] + [f"CASE WHEN {_seen(t, lag)} THEN {t} ELSE -1 END" for t in rest]
    return f"ts_of(greatest({', '.join(parts)}) + {lag})"


CHARGE_SQL = f"""
WITH {CUT},
r AS (
    SELECT r.charge_idx,
        sum(r.amount) FILTER (WHERE {_seen("r.created_us", "ch.lag_us")}
            AND NOT (r.final_status = 'failed' AND {_seen("r.final_us", "ch.lag_us")})) AS refunded,
        max(greatest(CASE WHEN {_seen("r.created_us", "ch.lag_us")} THEN r.created_us ELSE -1 END,
                     CASE WHEN r.final_status = 'failed' AND {_seen("r.final_us", "ch.lag_us")}
                          THEN r.final_us ELSE -1 END)) AS last_change
    FROM _world.stripe_refunds r
    JOIN _world.stripe_charges ch USING (charge_idx)
    CROSS JOIN cut
    GROUP BY r.charge_idx
),
s AS (
    SELECT ch.*, i.amount, i.currency, i.has_customer, i.cus_ns, i.app_user_id, i.id_ns,
        i.intent_key, i.pm_idx, i.receipt_email, i.billing_country, i.metadata,
        least(coalesce(r.refunded, 0), i.amount) AS amount_refunded,
        coalesce(r.last_change, -1) AS refund_change
    FROM _world.stripe_charges ch
    JOIN _world.stripe_intents i USING (intent_idx)
    LEFT JOIN r USING (charge_idx)
)
SELECT
    sid('ch_', 'ch', charge_idx) AS id,
    amount,
    amount_refunded,
    currency,
    CASE WHEN bt_idx >= 0 THEN sid('txn_', 'txn', bt_idx) END AS balance_transaction_id,
    CASE WHEN has_customer THEN sid('cus_', cus_ns, app_user_id) END AS customer_id,
    sid('pi_', id_ns, intent_key) AS payment_intent_id,
    CASE WHEN pm_idx >= 0 THEN sid('pm_', 'pm', pm_idx) END AS payment_method_id,
    NULL AS invoice_id,
    status = 'succeeded' AS captured,
    status = 'succeeded' AS paid,
    status = 'succeeded' AND amount_refunded >= amount AS refunded,
    status,
    failure_code,
    failure_message,
    outcome_type,
    outcome_risk_level,
    outcome_risk_score,
    receipt_email,
    'FINSTACK DEPOSIT' AS statement_descriptor,
    billing_country AS billing_detail_address_country,
    receipt_email AS billing_detail_email,
    metadata,
    ts_of(created_us) AS created,
    livemode,
    {_synced("created_us", "refund_change")} AS _fivetran_synced,
    {_synced("created_us", "refund_change")} AS _arrival_at
FROM s CROSS JOIN cut
"""

INTENT_SQL = f"""
WITH {CUT},
c AS (
    SELECT ch.intent_idx,
        arg_max(ch.failure_code, ch.created_us)
            FILTER (WHERE ch.status = 'failed' AND {_seen("ch.created_us", "i.lag_us")}) AS last_code,
        arg_max_null(ch.decline_code, ch.created_us)
            FILTER (WHERE ch.status = 'failed' AND {_seen("ch.created_us", "i.lag_us")}) AS last_decline,
        max(ch.created_us) FILTER (WHERE {_seen("ch.created_us", "i.lag_us")}) AS last_charge
    FROM _world.stripe_charges ch
    JOIN _world.stripe_intents i USING (intent_idx)
    CROSS JOIN cut
    GROUP BY ch.intent_idx
),
s AS (
    SELECT i.*, c.last_code, c.last_decline, coalesce(c.last_charge, -1) AS last_charge,
        CASE WHEN {_seen("i.final_us", "i.lag_us")} THEN i.final_status
             WHEN i.final_status = 'requires_action' THEN 'requires_action'
             ELSE 'requires_payment_method' END AS st
    FROM _world.stripe_intents i
    CROSS JOIN cut
    LEFT JOIN c USING (intent_idx)
)
SELECT
    sid('pi_', id_ns, intent_key) AS id,
    amount,
    CASE WHEN st = 'succeeded' THEN amount ELSE 0 END AS amount_received,
    currency,
    CASE WHEN has_customer THEN sid('cus_', cus_ns, app_user_id) END AS customer_id,
    CASE WHEN pm_idx >= 0 THEN sid('pm_', 'pm', pm_idx) END AS payment_method_id,
    st AS status,
    'automatic' AS capture_method,
    CASE WHEN st = 'canceled' THEN ts_of(final_us) END AS canceled_at,
    CASE WHEN st = 'canceled' THEN cancellation_reason END AS cancellation_reason,
    -- Stripe clears last_payment_error once the intent succeeds
    CASE WHEN st <> 'succeeded' THEN last_code END AS last_payment_error_code,
    CASE WHEN st <> 'succeeded' THEN last_decline END AS last_payment_error_decline_code,
    metadata,
    ts_of(created_us) AS created,
    livemode,
    {_synced("created_us", "last_charge", "final_us")} AS _fivetran_synced,
    {_synced("created_us", "last_charge", "final_us")} AS _arrival_at
FROM s CROSS JOIN cut
"""

REFUND_SQL = f"""
WITH {CUT}
SELECT
    sid('re_', 're', r.refund_key) AS id,
    r.amount,
    r.currency,
    sid('ch_', 'ch', r.charge_idx) AS charge_id,
    sid('pi_', i.id_ns, i.intent_key) AS payment_intent_id,
    CASE WHEN r.bt_idx >= 0 THEN sid('txn_', 'txn', r.bt_idx) END AS balance_transaction_id,
    CASE WHEN r.final_status = 'failed' AND {_seen("r.final_us", "r.lag_us")}
         THEN sid('txn_', 'txn', r.failure_bt_idx) END AS failure_balance_transaction_id,
    r.reason,
    CASE WHEN {_seen("r.final_us", "r.lag_us")} THEN r.final_status ELSE 'pending' END AS status,
    ts_of(r.created_us) AS created,
    i.livemode,
    {_synced("r.created_us", "r.final_us", lag="r.lag_us")} AS _fivetran_synced,
    {_synced("r.created_us", "r.final_us", lag="r.lag_us")} AS _arrival_at
FROM _world.stripe_refunds r
JOIN _world.stripe_intents i USING (intent_idx)
CROSS JOIN cut
"""

BALANCE_SQL = f"""
WITH {CUT}
SELECT
    sid('txn_', 'txn', bt_idx) AS id,
    amount,
    fee,
    amount - fee AS net,
    currency,
    exchange_rate,
    type,
    sid(src_prefix, src_ns, src_key) AS source,
    CASE WHEN payout_idx >= 0 AND {_seen("payout_created_us")} THEN sid('po_', 'po', payout_idx) END
        AS payout_id,
    CASE WHEN {_seen("available_us")} THEN 'available' ELSE 'pending' END AS status,
    ts_of(available_us) AS available_on,
    ts_of(created_us) AS created,
    livemode,
    {_synced("created_us", "available_us", "payout_created_us")} AS _fivetran_synced,
    {_synced("created_us", "available_us", "payout_created_us")} AS _arrival_at
FROM _world.stripe_balance_txns
CROSS JOIN cut
"""

FEE_SQL = """
SELECT
    sid('txn_', 'txn', f.bt_idx) AS balance_transaction_id,
    f.fee_index AS "index",
    f.type,
    f.amount,
    f.currency,
    f.description,
    ts_of(b.created_us + b.lag_us) AS _fivetran_synced,
    ts_of(b.created_us + b.lag_us) AS _arrival_at
FROM _world.stripe_fees f
JOIN _world.stripe_balance_txns b USING (bt_idx)
"""

CUSTOMER_SQL = f"""
WITH {CUT}
SELECT
    sid('cus_', cus_ns, app_user_id) AS id,
    email,
    name,
    currency,
    0 AS balance,
    false AS delinquent,
    {_seen("deleted_us")} AS is_deleted,
    metadata,
    ts_of(created_us) AS created,
    livemode,
    {_synced("created_us", "deleted_us")} AS _fivetran_synced,
    {_synced("created_us", "deleted_us")} AS _arrival_at
FROM _world.stripe_customers
CROSS JOIN cut
"""

PAYMENT_METHOD_SQL = """
SELECT
    sid('pm_', 'pm', pm_idx) AS id,
    CASE WHEN cus_ns IS NOT NULL THEN sid('cus_', cus_ns, app_user_id) END AS customer_id,
    'card' AS type,
    ts_of(created_us) AS created,
    livemode,
    ts_of(created_us + lag_us) AS _fivetran_synced,
    ts_of(created_us + lag_us) AS _arrival_at
FROM _world.stripe_payment_methods
"""

PAYMENT_METHOD_CARD_SQL = """
SELECT
    sid('pm_', 'pm', pm_idx) AS payment_method_id,
    brand,
    country,
    funding,
    wallet_type,
    ts_of(created_us + lag_us) AS _fivetran_synced,
    ts_of(created_us + lag_us) AS _arrival_at
FROM _world.stripe_payment_methods
"""

PAYOUT_SQL = f"""
WITH {CUT}
SELECT
    sid('po_', 'po', payout_idx) AS id,
    amount,
    currency,
    ts_of(arrival_us) AS arrival_date,
    true AS automatic,
    sid('txn_', 'txn', bt_idx) AS balance_transaction_id,
    CASE WHEN {_seen("paid_us")} THEN 'paid'
         WHEN {_seen("in_transit_us")} THEN 'in_transit'
         ELSE 'pending' END AS status,
    'standard' AS method,
    'bank_account' AS type,
    NULL AS failure_code,
    ts_of(created_us) AS created,
    true AS livemode,
    {_synced("created_us", "in_transit_us", "paid_us")} AS _fivetran_synced,
    {_synced("created_us", "in_transit_us", "paid_us")} AS _arrival_at
FROM _world.stripe_payouts
CROSS JOIN cut
"""

DISPUTE_SQL = f"""
WITH {CUT}
SELECT
    sid('dp_', 'dp', dispute_idx) AS id,
    amount,
    currency,
    sid('ch_', 'ch', charge_idx) AS charge_id,
    sid('txn_', 'txn', bt_idx) AS balance_transaction,
    reason,
    CASE WHEN {_seen("closed_us")} THEN outcome
         WHEN {_seen("submitted_us")} THEN 'under_review'
         ELSE 'needs_response' END AS status,
    is_charge_refundable,
    ts_of(evidence_due_us) AS evidence_details_due_by,
    ts_of(created_us) AS created,
    true AS livemode,
    {_synced("created_us", "submitted_us", "closed_us")} AS _fivetran_synced,
    {_synced("created_us", "submitted_us", "closed_us")} AS _arrival_at
FROM _world.stripe_disputes
CROSS JOIN cut
"""

SYNCED = "_fivetran_synced:ts"

register(
    RawTable(
        schema=SCHEMA,
        name="charge",
        mode="state",
        grain="charge attempt",
        keys=["id"],
        columns=cols(
            "id, amount:int, amount_refunded:int, currency, balance_transaction_id, customer_id, "
            "payment_intent_id, payment_method_id, invoice_id, captured:bool, paid:bool, "
            "refunded:bool, status, failure_code, failure_message, outcome_type, "
            "outcome_risk_level, outcome_risk_score:int, receipt_email, statement_descriptor, "
            "billing_detail_address_country, billing_detail_email, metadata:json, created:ts, "
            f"livemode:bool, {SYNCED}"
        ),
        sql=CHARGE_SQL,
        description="Card charges (succeeded and failed attempts); amount_refunded as of the last sync.",
    ),
    RawTable(
        schema=SCHEMA,
        name="payment_intent",
        mode="state",
        grain="payment intent",
        keys=["id"],
        columns=cols(
            "id, amount:int, amount_received:int, currency, customer_id, payment_method_id, "
            "status, capture_method, canceled_at:ts, cancellation_reason, "
            "last_payment_error_code, last_payment_error_decline_code, metadata:json, "
            f"created:ts, livemode:bool, {SYNCED}"
        ),
        sql=INTENT_SQL,
        description="One PaymentIntent per app card deposit (id = transactions.external_id), plus test mode.",
    ),
    RawTable(
        schema=SCHEMA,
        name="refund",
        mode="state",
        grain="refund",
        keys=["id"],
        columns=cols(
            "id, amount:int, currency, charge_id, payment_intent_id, balance_transaction_id, "
            f"failure_balance_transaction_id, reason, status, created:ts, livemode:bool, {SYNCED}"
        ),
        sql=REFUND_SQL,
        description="Refunds of card deposits, one per app refund transaction (id from its txn id).",
    ),
    RawTable(
        schema=SCHEMA,
        name="balance_transaction",
        mode="state",
        grain="balance transaction",
        keys=["id"],
        columns=[
            *cols("id, amount:int, fee:int, net:int, currency, exchange_rate:float, type"),
            # optional column, absent in older data: declared, never landed
            Column("reporting_category", "str", absent=True),
            *cols(
                f"source, payout_id, status, available_on:ts, created:ts, livemode:bool, {SYNCED}"
            ),
        ],
        sql=BALANCE_SQL,
        description="Balance movements in the settlement currency: charges, refunds, disputes, payouts.",
    ),
    RawTable(
        schema=SCHEMA,
        name="fee",
        mode="append",
        grain="fee component of a balance transaction",
        keys=["balance_transaction_id", "index"],
        columns=cols(
            f"balance_transaction_id, index:int, type, amount:int, currency, description, {SYNCED}"
        ),
        sql=FEE_SQL,
        description="Fee split of each balance transaction; sums to balance_transaction.fee.",
    ),
    RawTable(
        schema=SCHEMA,
        name="customer",
        mode="state",
        grain="customer",
        keys=["id"],
        columns=cols(
            "id, email, name, currency, balance:int, delinquent:bool, is_deleted:bool, "
            f"metadata:json, created:ts, livemode:bool, {SYNCED}"
        ),
        sql=CUSTOMER_SQL,
        description="One customer per app user with a card deposit (id = users.stripe_customer_id).",
    ),
    RawTable(
        schema=SCHEMA,
        name="payment_method",
        mode="append",
        grain="payment method",
        keys=["id"],
        columns=cols(f"id, customer_id, type, created:ts, livemode:bool, {SYNCED}"),
        sql=PAYMENT_METHOD_SQL,
        description="Cards saved on customers (guest cards have no customer).",
    ),
    RawTable(
        schema=SCHEMA,
        name="payment_method_card",
        mode="append",
        grain="payment method",
        keys=["payment_method_id"],
        columns=cols(f"payment_method_id, brand, country, funding, wallet_type, {SYNCED}"),
        sql=PAYMENT_METHOD_CARD_SQL,
        description="Card details of each card payment method.",
    ),
    RawTable(
        schema=SCHEMA,
        name="payout",
        mode="state",
        grain="payout",
        keys=["id"],
        columns=cols(
            "id, amount:int, currency, arrival_date:ts, automatic:bool, balance_transaction_id, "
            f"status, method, type, failure_code, created:ts, livemode:bool, {SYNCED}"
        ),
        sql=PAYOUT_SQL,
        description="Daily automatic payouts of the previous day's net, per settlement currency.",
    ),
    RawTable(
        schema=SCHEMA,
        name="dispute",
        mode="state",
        grain="dispute",
        keys=["id"],
        columns=cols(
            "id, amount:int, currency, charge_id, balance_transaction, reason, status, "
            "is_charge_refundable:bool, evidence_details_due_by:ts, created:ts, livemode:bool, "
            f"{SYNCED}"
        ),
        sql=DISPUTE_SQL,
        description="Disputes (chargebacks) on succeeded charges; status as of the last sync.",
    ),
)

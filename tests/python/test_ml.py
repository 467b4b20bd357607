"""Unit tests of the Python models' logic (src/finstack/ml): sentiment,
ticket tagging and KPI anomalies, on tiny hand-made frames. No database,
no dbt: the dbt Python models only load their refs and call these."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from finstack.ml import anomalies, sentiment, tagging, to_pandas

D = dt.date


# --- helpers -------------------------------------------------------------------


def _threads(rows: list[tuple]) -> pd.DataFrame:
    """rows: (thread_id, conversation_id, author_type, body, minutes)."""
    return pd.DataFrame(
        [
            {
                "thread_id": t,
                "conversation_id": c,
                "thread_type": "customer" if a == "customer" else "message",
                "author_type": a,
                "body_text": body,
                "created_at": pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=m),
                "quarantine_reason": None,
            }
            for t, c, a, body, m in rows
        ]
    )


def _conversations(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"conversation_id": ids})


# --- to_pandas -------------------------------------------------------------------


def test_to_pandas_reads_a_duckdb_relation_and_keeps_only_asked_columns() -> None:
    import duckdb

    con = duckdb.connect()
    rel = con.sql("select 1 as a, 'x' as b, 2.5 as c")
    df = to_pandas(rel, ["a", "c"])
    assert list(df.columns) == ["a", "c"]
    assert df.iloc[0]["a"] == 1
    assert list(to_pandas(pd.DataFrame({"a": [1], "b": [2]}), ["b"]).columns) == ["b"]


# --- sentiment -----------------------------------------------------------------


def test_strip_html_removes_tags_scripts_and_entities() -> None:
    body = "<p>Hello&nbsp;<b>team</b>,</p><script>alert(1)</script><br/>I&#39;m stuck &amp; sad"
    assert sentiment.strip_html(body) == "Hello team, I'm stuck & sad"
    assert sentiment.strip_html("plain  text\n") == "plain text"
    assert sentiment.strip_html(sentiment.strip_html(body)) == sentiment.strip_html(body)
    assert sentiment.strip_html(None) == ""


def test_customer_messages_keep_customer_threads_of_kept_conversations() -> None:
    threads = _threads(
        [
            ("t1", "c1", "customer", "<p>Thanks, great help!</p>", 0),
            ("t2", "c1", "agent", "Happy to help", 1),
            ("t3", "c2", "customer", "erased person's message", 2),
            ("t4", "c1", "customer", "<p> </p>", 3),
            ("t5", "c1", "customer", "quarantined", 4),
        ]
    )
    threads.loc[threads["thread_id"] == "t5", "quarantine_reason"] = "unknown author"
    out = sentiment.customer_messages(threads, _conversations(["c1"]))
    assert out["thread_id"].tolist() == ["t1"]
    assert out["text"].tolist() == ["Thanks, great help!"]


def test_score_messages_scores_without_text() -> None:
    threads = _threads(
        [
            ("t1", "c1", "customer", "Thank you so much, this is wonderful and very helpful!", 0),
            ("t2", "c1", "customer", "This is terrible. I am angry and the app is useless.", 1),
            ("t3", "c2", "customer", "My statement arrived on Tuesday.", 2),
        ]
    )
    out = sentiment.score_messages(threads, _conversations(["c1", "c2"])).set_index("thread_id")
    assert list(out.reset_index().columns) == sentiment.MESSAGE_COLUMNS
    assert "text" not in out and "body_text" not in out
    assert out.loc["t1", "sentiment_compound"] > 0.5
    assert out.loc["t2", "sentiment_compound"] < -0.5
    assert out.loc["t3", "sentiment_compound"] == 0
    parts = out[["sentiment_positive", "sentiment_negative", "sentiment_neutral"]].sum(axis=1)
    assert np.allclose(parts, 1, atol=0.01)
    assert out["sentiment_compound"].between(-1, 1).all()


@pytest.mark.parametrize(
    ("compound", "label"),
    [
        (0.05, "positive"),
        (0.0499, "neutral"),
        (0.0, "neutral"),
        (-0.0499, "neutral"),
        (-0.05, "negative"),
        (0.9, "positive"),
        (-1.0, "negative"),
        (None, None),
    ],
)
def test_sentiment_label_follows_vader_thresholds(compound, label) -> None:
    assert sentiment.sentiment_label(compound) == label


# --- tagging ---------------------------------------------------------------------

TOPICS = {
    "kyc": [
        "verification pending passport selfie",
        "identity check documents stuck",
        "verify my identity passport upload",
        "kyc selfie rejected documents",
    ],
    "deposit": [
        "card deposit failed payment",
        "bank transfer money not arrived deposit",
        "add money card declined",
        "deposit missing reference transfer",
    ],
    "login": [
        "cannot log in password reset",
        "two factor code login locked",
        "password not working sign in",
        "locked out login code",
    ],
}


def _corpus(per_topic: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Threads and tags of per_topic conversations per topic (one tag each)."""
    rng = np.random.default_rng(seed)
    rows, tags, n = [], [], 0
    for topic, phrases in TOPICS.items():
        for _ in range(per_topic):
            n += 1
            cid = f"c{n:03d}"
            text = " ".join(rng.choice(phrases, size=2)) + " please help thanks"
            rows.append((f"t{n:03d}", cid, "customer", f"<p>{text}</p>", n))
            tags.append({"conversation_id": cid, "tag_name": topic, "tag_position": 0})
    return _threads(rows), pd.DataFrame(tags)


def test_primary_tag_is_the_first_tag_of_kept_conversations() -> None:
    tags = pd.DataFrame(
        {
            "conversation_id": ["c1", "c1", "c2", "c2", "c3"],
            "tag_name": ["vip", "kyc", "login", "bug", "deposit"],
            "tag_position": [1, 0, 0, 1, 0],
        }
    )
    out = tagging.primary_tags(tags, _conversations(["c1", "c2"]))
    assert out.to_dict() == {"c1": "kyc", "c2": "login"}


def test_training_set_drops_rare_tags_and_textless_conversations() -> None:
    texts = pd.Series({"a": "x", "b": "y", "c": "z", "d": "  ", "e": "w"})
    labels = pd.Series({"a": "kyc", "b": "kyc", "c": "isa", "d": "isa", "e": "kyc", "f": "kyc"})
    out = tagging.training_set(texts, labels, min_examples=2)
    assert out.index.tolist() == ["a", "b", "e"]
    assert set(out["tag"]) == {"kyc"}


def test_evaluation_is_per_tag_plus_macro_average_and_reproducible() -> None:
    threads, tags = _corpus(per_topic=12)
    convs = _conversations(sorted(tags["conversation_id"]))
    ev = tagging.evaluate_tagger(threads, tags, convs, min_examples=5, random_state=7)
    assert list(ev.columns) == tagging.EVALUATION_COLUMNS
    assert ev["tag"].tolist() == ["deposit", "kyc", "login", tagging.MACRO_AVG]
    per_tag, macro = ev[~ev["is_average"]], ev[ev["is_average"]].iloc[0]
    assert per_tag["support"].tolist() == [3, 3, 3]  # stratified 25 % of 12 each
    assert macro["support"] == 9
    assert macro["f1_score"] == pytest.approx(per_tag["f1_score"].mean())
    assert macro["f1_score"] > 0.8  # separable vocabularies
    again = tagging.evaluate_tagger(threads, tags, convs, min_examples=5, random_state=7)
    pd.testing.assert_frame_equal(ev, again)


def test_predictions_cover_untagged_conversations_only() -> None:
    threads, tags = _corpus(per_topic=8)
    extra = _threads(
        [
            ("u1", "n1", "customer", "my passport verification is still pending", 900),
            ("u2", "n2", "customer", "forgot password cannot log in", 901),
            ("u3", "n3", "agent", "agent note only", 902),
        ]
    )
    ids = [*sorted(tags["conversation_id"]), "n1", "n2", "n3"]
    out = tagging.predict_tags(
        pd.concat([threads, extra]), tags, _conversations(ids), min_examples=5
    ).set_index("conversation_id")
    assert out.index.tolist() == ["n1", "n2", "n3"]
    assert out.loc["n1", "predicted_tag"] == "kyc"
    assert out.loc["n2", "predicted_tag"] == "login"
    assert not out.loc["n3", "has_customer_text"]
    assert out.loc["n3", "predicted_tag"] is None
    assert np.isnan(out.loc["n3", "predicted_tag_probability"])
    probs = out["predicted_tag_probability"].dropna()
    assert probs.between(0, 1).all() and (probs > 1 / 3).all()


# --- anomalies ---------------------------------------------------------------------


DAY0 = D(2026, 1, 1)


def _days(values: list[float], start: dt.date = DAY0) -> pd.Series:
    return pd.Series(values, index=[start + dt.timedelta(days=i) for i in range(len(values))])


def test_densify_fills_missing_days_with_zero_up_to_end_date() -> None:
    s = pd.Series({D(2026, 1, 1): 2.0, D(2026, 1, 4): 5.0, D(2026, 1, 9): 1.0})
    out = anomalies.densify(s, D(2026, 1, 6))
    assert out.tolist() == [2.0, 0.0, 0.0, 5.0, 0.0, 0.0]
    assert anomalies.densify(pd.Series(dtype="float64"), D(2026, 1, 6)).empty


def test_short_history_is_not_scored() -> None:
    out = anomalies.robust_scores(_days([1, 1, 1, 1, 1, 1, 100, 100]), min_history_days=7)
    assert out["trailing_days"].tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert out["robust_z"].iloc[:7].isna().all() and out["expected_value"].iloc[:7].isna().all()
    assert not out["is_anomaly"].iloc[:7].any()
    assert out["is_anomaly"].iloc[7]  # constant window, then a change


def test_robust_z_uses_median_and_mad_of_the_trailing_window() -> None:
    window = [8, 9, 10, 11, 12, 9, 11]  # median 10, MAD 1
    out = anomalies.robust_scores(_days([*window, 14]))
    last = out.iloc[-1]
    assert last["expected_value"] == 10 and last["mad"] == 1
    assert last["robust_z"] == pytest.approx(0.6745 * 4)
    assert not last["is_anomaly"] and last["direction"] is None
    spike = anomalies.robust_scores(_days([*window, 16])).iloc[-1]
    assert spike["robust_z"] == pytest.approx(0.6745 * 6) and spike["is_anomaly"]
    assert spike["direction"] == "up"
    drop = anomalies.robust_scores(_days([*window, 0])).iloc[-1]
    assert drop["is_anomaly"] and drop["direction"] == "down"


def test_window_excludes_the_day_itself_and_older_days() -> None:
    # with a 7-day window, the 100s of the first days are out of the window
    out = anomalies.robust_scores(_days([100, 100, 1, 2, 3, 2, 3, 2, 3, 2]), window_days=7)
    last = out.iloc[-1]
    assert last["trailing_days"] == 7
    assert last["expected_value"] == 2  # median of 1,2,3,2,3,2,3 ... excluding the day itself
    assert not last["is_anomaly"]


def test_zero_mad_falls_back_to_mean_absolute_deviation() -> None:
    window = [10, 12, 10, 12, 10, 10, 10]  # median 10, MAD 0, meanAD 4/7
    last = anomalies.robust_scores(_days([*window, 11])).iloc[-1]
    assert last["mad"] == 0
    assert last["robust_z"] == pytest.approx(1 / (1.253314 * 4 / 7))
    assert not last["is_anomaly"]
    const = anomalies.robust_scores(_days([5] * 7 + [5])).iloc[-1]
    assert np.isnan(const["robust_z"]) and not const["is_anomaly"]


def test_threshold_is_a_parameter() -> None:
    window = [8, 9, 10, 11, 12, 9, 11]
    assert anomalies.robust_scores(_days([*window, 14]), threshold=2.5).iloc[-1]["is_anomaly"]


def test_daily_deposits_keep_completed_customer_cash_credits_by_london_day() -> None:
    tx = pd.DataFrame(
        {
            "transaction_type": ["deposit", "deposit", "deposit", "deposit", "withdrawal"],
            "transaction_status": ["completed", "completed", "failed", "completed", "completed"],
            "owner_type": ["customer", "customer", "customer", "platform", "customer"],
            "account_type": ["cash", "cash", "cash", "platform_clearing", "cash"],
            "entry_direction": ["credit", "credit", "credit", "debit", "debit"],
            "posted_at": pd.to_datetime(
                [
                    "2026-07-01 10:00",
                    "2026-07-01 23:30",
                    "2026-07-01 10:00",
                    "2026-07-01 10:00",
                    "2026-07-01 10:00",
                ]
            ),
            "amount_gbp": [100.0, 50.0, 999.0, 100.0, 7.0],
        }
    )
    out = anomalies.daily_deposits_gbp(tx, "Europe/London")
    assert out.to_dict() == {D(2026, 7, 1): 100.0, D(2026, 7, 2): 50.0}  # 23:30 UTC = BST next day


def test_daily_signups_leave_out_internal_users() -> None:
    ms = pd.DataFrame(
        {
            "signed_up_at": pd.to_datetime(
                ["2026-01-01 09:00", "2026-01-01 10:00", None, "2026-01-02 09:00"]
            ),
            "is_internal": [False, True, False, False],
        }
    )
    assert anomalies.daily_signups(ms, "Europe/London").to_dict() == {
        D(2026, 1, 1): 1.0,
        D(2026, 1, 2): 1.0,
    }


def test_kpi_anomalies_one_row_per_metric_and_day() -> None:
    series = {
        "signups": pd.Series({D(2026, 1, 1): 3.0, D(2026, 1, 10): 4.0}),
        "support_conversations": pd.Series({D(2026, 1, 5): 1.0}),
        "ad_spend_gbp": pd.Series(dtype="float64"),
    }
    out = anomalies.kpi_anomalies(series, D(2026, 1, 10))
    assert list(out.columns) == anomalies.OUTPUT_COLUMNS
    assert out.groupby("metric").size().to_dict() == {"signups": 10, "support_conversations": 6}
    assert not out.duplicated(["metric", "metric_date"]).any()
    assert out["value"].sum() == 8.0
    assert out["is_anomaly"].dtype == bool and out["trailing_days"].dtype == "int64"


def test_default_end_date_is_yesterday_in_the_reporting_timezone() -> None:
    now = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 BST on 2 July
    assert anomalies.default_end_date("Europe/London", now) == D(2026, 7, 1)

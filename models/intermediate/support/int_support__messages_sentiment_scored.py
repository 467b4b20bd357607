"""One row per customer message (a thread the customer wrote: Help Scout
thread types customer and chat) of a kept, non-erased conversation
(int_helpscout__conversations_matched), with its VADER sentiment scores.
No text leaves the model: ids, type, time and scores only. Logic and tests:
src/finstack/ml/sentiment.py, tests/python/test_ml.py."""

from finstack.ml import to_pandas
from finstack.ml.sentiment import THREAD_COLUMNS, score_messages


def model(dbt, session):
    dbt.config(materialized="table")
    threads = to_pandas(dbt.ref("stg_helpscout__conversation_threads"), THREAD_COLUMNS)
    conversations = to_pandas(dbt.ref("int_helpscout__conversations_matched"), ["conversation_id"])
    return score_messages(threads, conversations)

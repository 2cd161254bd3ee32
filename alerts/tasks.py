"""The background worker's tasks (huey; run with `manage.py run_huey`).

Every minute the worker looks for items that became public (published, and their
publish-from moment passed: scheduled items too) and queues an e-mail per item for immediate
subscribers; once a day it queues one digest per daily subscriber. A failed e-mail is tried
again (three retries, a minute apart), then recorded as failed.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alerts import sending

RETRIES = 3
RETRY_DELAY = 60  # seconds


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def deliver(subscription_id, delivery_ids, task=None):
    try:
        return sending.deliver(subscription_id, delivery_ids)
    except Exception as error:
        if task is not None and task.retries > 0:
            raise  # huey runs it again after RETRY_DELAY
        sending.record_failure(delivery_ids, error)
        return 0


@db_periodic_task(crontab(minute="*"))
def scan_for_new_items():
    for subscription_id, delivery_ids in sending.scan():
        deliver(subscription_id, delivery_ids)


@db_periodic_task(crontab(hour="7", minute="0"))
def send_daily_digests():
    for subscription_id, delivery_ids in sending.pending_digests():
        deliver(subscription_id, delivery_ids)


@db_periodic_task(crontab(hour="3", minute="30"))
def delete_unconfirmed_sign_ups():
    return sending.purge_unconfirmed()

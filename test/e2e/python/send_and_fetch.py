#!/usr/bin/env python3
"""Plain use of the official `twilio` package, configured by the environment only (issue #8).

Creates a message and fetches it back with an unchanged client: credentials come from
TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, the route from HTTPS_PROXY, and trust from whatever the
client honours (REQUESTS_CA_BUNDLE for pip's twilio, the system store for Debian's python3-twilio).

Usage: send_and_fetch.py TO FROM BODY
Prints one JSON object {"created": {...}, "fetched": {...}} on success; on failure prints the
exception to stderr and exits 1.
"""
import json
import sys
import traceback

from twilio.rest import Client


def fields(message):
    return {
        "sid": message.sid,
        "account_sid": message.account_sid,
        "to": message.to,
        "from": message.from_,
        "body": message.body,
        "status": message.status,
    }


def main(argv):
    to, from_, body = argv[1:4]
    client = Client()
    created = client.messages.create(to=to, from_=from_, body=body)
    fetched = client.messages(created.sid).fetch()
    print(json.dumps({"created": fields(created), "fetched": fields(fetched)}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception:  # report any failure (TLS, HTTP, API error) to the caller
        traceback.print_exc()
        sys.exit(1)

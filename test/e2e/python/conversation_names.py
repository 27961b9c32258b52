#!/usr/bin/env python3
"""The cluster tests' Conversations case in our own words, through Debian's python3-twilio.

Creates a conversation whose friendly name and a participant whose identity hold `|` and `&`,
reads them back, removes the conversation. Credentials: TWILIO_API_KEY / TWILIO_API_SECRET with
TWILIO_ACCOUNT_SID (as the cluster tests sign in); the Conversations domain is pointed at
MIRRA_URL + "/conversations" (base-URL mode: no trust store needed).

Prints one JSON object on success; on failure prints the exception to stderr and exits 1.
"""
import json
import os
import sys
import traceback

from twilio.rest import Client


def main():
    client = Client(username=os.environ["TWILIO_API_KEY"], password=os.environ["TWILIO_API_SECRET"], account_sid=os.environ["TWILIO_ACCOUNT_SID"])
    client.conversations.base_url = os.environ["MIRRA_URL"] + "/conversations"
    conversation = client.conversations.v1.conversations.create(friendly_name="service|friendly&name")
    participant = client.conversations.v1.conversations(conversation.sid).participants.create(identity="user|identity&string")
    fetched = client.conversations.v1.conversations(conversation.sid).fetch()
    removed = client.conversations.v1.conversations(conversation.sid).delete()
    try:
        client.conversations.v1.conversations(conversation.sid).fetch()
        gone = None
    except Exception as e:  # TwilioRestException
        gone = getattr(e, "status", None)
    print(json.dumps({
        "sid": conversation.sid,
        "friendly_name": conversation.friendly_name,
        "fetched_friendly_name": fetched.friendly_name,
        "identity": participant.identity,
        "participant_conversation": participant.conversation_sid,
        "removed": removed,
        "gone": gone,
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)

#!/usr/bin/env python3
"""The seven cases of twilio-python's cluster test (tests/cluster/test_cluster.py), made the same
way against mirra with Debian's python3-twilio: an API key + secret + AccountSid client, the same
calls and the same assertions. Only the transport differs: requests for https://<domain>.twilio.com
go to $MIRRA_URL (base-URL mode: api's at its root, the others behind their domain prefix,
`/conversations/v1/...`), so no system trust store is touched.

Environment: MIRRA_URL, TWILIO_FROM_NUMBER, TWILIO_TO_NUMBER, TWILIO_API_KEY, TWILIO_API_SECRET,
TWILIO_ACCOUNT_SID. Runs unittest verbosely; the exit status is unittest's.
"""
import os
import re
import unittest

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

BASE = os.environ["MIRRA_URL"].rstrip("/")


HOST = re.compile(r"^https://([a-z0-9-]+)\.twilio\.com")


def to_mirror(url):
    """https://api.twilio.com/x -> BASE/x; https://conversations.twilio.com/x -> BASE/conversations/x."""
    return HOST.sub(lambda m: BASE if m.group(1) == "api" else f"{BASE}/{m.group(1)}", url)


class MirrorHttpClient(TwilioHttpClient):
    """Sends what the SDK would send to *.twilio.com to the mirror instead."""

    def request(self, method, url, *args, **kwargs):
        return super().request(method, to_mirror(url), *args, **kwargs)


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.from_number = os.environ["TWILIO_FROM_NUMBER"]
        self.to_number = os.environ["TWILIO_TO_NUMBER"]
        self.client = Client(
            username=os.environ["TWILIO_API_KEY"],
            password=os.environ["TWILIO_API_SECRET"],
            account_sid=os.environ["TWILIO_ACCOUNT_SID"],
            http_client=MirrorHttpClient(),
        )
        self.voice_twiml = VoiceResponse()

    def test_send_text_message(self):
        msg = self.client.messages.create(to=self.to_number, from_=self.from_number, body="hello world")
        self.assertEqual(msg.to, self.to_number)
        self.assertEqual(msg.from_, self.from_number)
        self.assertEqual(msg.body, "hello world")
        self.assertIsNotNone(msg.sid)

    def test_list_incoming_numbers(self):
        incoming_phone_numbers = self.client.incoming_phone_numbers.list()
        self.assertIsNotNone(incoming_phone_numbers)
        self.assertGreaterEqual(len(incoming_phone_numbers), 2)

    def test_list_an_incoming_number(self):
        incoming_phone_numbers = self.client.incoming_phone_numbers.list(limit=1)
        self.assertIsNotNone(incoming_phone_numbers)
        self.assertEqual(len(incoming_phone_numbers), 1)

    def test_allow_special_characters_for_friendly_and_identity_name(self):
        friendly_name = "service|friendly&name"
        identity = "user|identity&string"
        conversation = self.client.conversations.v1.conversations.create(friendly_name=friendly_name)
        participant = self.client.conversations.v1.conversations(conversation.sid).participants.create(identity=identity)
        self.assertIsNotNone(conversation)
        self.assertIsNotNone(participant)
        self.assertEqual(conversation.friendly_name, friendly_name)
        self.assertEqual(participant.identity, identity)
        self.assertTrue(self.client.conversations.v1.conversations(conversation.sid).delete())

    def test_list_available_numbers(self):
        toll_free_numbers = self.client.available_phone_numbers("US").toll_free.list(limit=2)
        self.assertIsNotNone(toll_free_numbers)
        self.assertEqual(len(toll_free_numbers), 2)

    def test_calling_twiml_string(self):
        call = self.client.calls.create(to=self.to_number, from_=self.from_number, twiml=str(self.voice_twiml))
        self.assertIsNotNone(call.sid)

    def test_calling_twiml_object(self):
        call = self.client.calls.create(to=self.to_number, from_=self.from_number, twiml=self.voice_twiml)
        self.assertIsNotNone(call.sid)


if __name__ == "__main__":
    unittest.main(verbosity=2)

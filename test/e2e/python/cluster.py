#!/usr/bin/env python3
"""The seven cases of twilio-python's cluster test (tests/cluster/test_cluster.py), made the same
way against mirra with Debian's python3-twilio: an API key + secret + AccountSid client, the same
calls and the same assertions. Only the transport differs: requests for https://api.twilio.com go
to $MIRRA_URL (base-URL mode), so no system trust store is touched.

Environment: MIRRA_URL, TWILIO_FROM_NUMBER, TWILIO_TO_NUMBER, TWILIO_API_KEY, TWILIO_API_SECRET,
TWILIO_ACCOUNT_SID. Runs unittest verbosely; the exit status is unittest's.
"""
import os
import unittest

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

BASE = os.environ["MIRRA_URL"].rstrip("/")


class MirrorHttpClient(TwilioHttpClient):
    """Sends what the SDK would send to api.twilio.com to the mirror instead."""

    def request(self, method, url, *args, **kwargs):
        return super().request(method, url.replace("https://api.twilio.com", BASE), *args, **kwargs)


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

    @unittest.skip("Conversations (issue #17) is not served by this branch of mirra")
    def test_allow_special_characters_for_friendly_and_identity_name(self):
        pass

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

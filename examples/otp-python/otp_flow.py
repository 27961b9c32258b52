#!/usr/bin/env python3
"""The OTP sign-up flow with the official `twilio` package, configured by the environment only.

Starts an SMS verification, reads the code where the phone received it (the mirror's inbox at
$MIRRA_URL/_mirra/messages), checks a wrong code and then the right one, and prints one JSON object:
{"verification_sid", "start_status", "wrong_check_status", "check_status", "phone"}.

Usage: otp_flow.py [PHONE]            (default +15551230100)
Environment: what `mirra env` prints (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, HTTPS_PROXY, MIRRA_URL,
...); VERIFY_SERVICE_SID (default VA00000000000000000000000000000001, the twilio:verify-flow seed's).
Debian's python3-twilio (7.7.1) ignores REQUESTS_CA_BUNDLE: run `sudo npx mirra trust` once first.
"""
import json
import os
import re
import sys
import urllib.parse
import urllib.request

from twilio.rest import Client

SERVICE_SID = os.environ.get("VERIFY_SERVICE_SID", "VA00000000000000000000000000000001")


def inbox(phone):
    """What `phone` received, oldest first: mirra's control plane, plain HTTP on loopback (no proxy)."""
    url = os.environ["MIRRA_URL"] + "/_mirra/messages?" + urllib.parse.urlencode({"to": phone})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as res:
        return json.load(res)["messages"]


def main(argv):
    phone = argv[1] if len(argv) > 1 else "+15551230100"
    service = Client().verify.v2.services(SERVICE_SID)  # credentials from the environment

    verification = service.verifications.create(to=phone, channel="sms")
    code = re.search(r"code is: (\d+)", inbox(phone)[-1]["body"]).group(1)

    wrong = service.verification_checks.create(to=phone, code="000000" if code != "000000" else "111111")
    check = service.verification_checks.create(to=phone, code=code)

    print(json.dumps({
        "phone": phone,
        "verification_sid": verification.sid,
        "start_status": verification.status,
        "wrong_check_status": wrong.status,
        "check_status": check.status,
    }))
    return 0 if check.status == "approved" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

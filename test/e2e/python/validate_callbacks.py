#!/usr/bin/env python3
"""Checks webhook signatures with python3-twilio's own RequestValidator.

Reads a JSON list of {"token", "url", "params", "signature"} on stdin (for a GET webhook, `url`
carries the query string and `params` is {}); prints a JSON list of booleans, one per entry.
"""
import json
import sys

from twilio.request_validator import RequestValidator


def main():
    entries = json.load(sys.stdin)
    print(json.dumps([RequestValidator(e["token"]).validate(e["url"], e["params"], e["signature"]) for e in entries]))


if __name__ == "__main__":
    main()

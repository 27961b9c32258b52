/**
 * SIDs that carry a sequence number (`sidWithSeq`, read back by `seqInSid`): the number comes back
 * exactly, the SID keeps Twilio's shape and looks random, and other strings carry nothing usable.
 */
import { isSid, newSid, seqInSid, sidWithSeq } from '../../src/twilio/sid';

describe('SIDs that carry a sequence number', () => {
  it('give the number back exactly, up to 2^53 - 1', () => {
    for (const seq of [1, 2, 255, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 123_456_789_012, 2 ** 53 - 1]) {
      const sid = sidWithSeq('SM', seq);
      expect(isSid(sid, 'SM')).toBe(true);
      expect(seqInSid(sid)).toBe(seq);
    }
  });

  it('differ for the same number, and hide consecutive numbers', () => {
    expect(sidWithSeq('SM', 7)).not.toBe(sidWithSeq('SM', 7));
    const sids = Array.from({ length: 2000 }, (_, i) => sidWithSeq('SM', i + 1));
    expect(new Set(sids).size).toBe(sids.length);
    // Every hex position varies over all 16 digits: no position gives the order away.
    for (let pos = 2; pos < 34; pos++) expect(new Set(sids.map((s) => s[pos])).size).toBe(16);
  });

  it('read nothing out of strings that are not SID-shaped', () => {
    for (const s of ['', 'SM', 'PN1', `SM${'g'.repeat(32)}`, `SM${'A'.repeat(32)}`, `SM${'0'.repeat(31)}-`, `SM${' '.repeat(32)}`, `SM${'0'.repeat(33)}`]) {
      expect(seqInSid(s)).toBeNull();
    }
    // A random SID decodes to some number (or none): its owner checks the record at that number.
    const n = seqInSid(newSid('SM'));
    expect(n === null || (Number.isInteger(n) && n > 0 && n < 2 ** 53)).toBe(true);
  });
});

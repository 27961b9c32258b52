/**
 * `mirra cassettes lint`: finds anything in a cassette file that looks like a secret, for
 * pre-commit hooks. The recorder never writes secrets; this catches hand edits, files recorded by
 * other tools, and values that slipped past redaction (a token pasted into a message body).
 * It scans the raw text, so it works on a file that no longer parses too.
 */

/** One suspicious value. */
export interface LintFinding {
  line: number;
  rule: string;
  /** The match with its middle masked, so the report itself leaks nothing. */
  excerpt: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
  /** Values that are fine despite matching (placeholders, redaction markers). */
  allow?: (match: string) => boolean;
}

const RULES: Rule[] = [
  { name: 'basic-auth header', pattern: /Basic\s+[A-Za-z0-9+/]{16,}={0,2}/g },
  { name: 'bearer token', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{16,}/g },
  { name: 'authorization field', pattern: /"(?:authorization|proxy-authorization|cookie|set-cookie)"\s*:/gi },
  {
    name: 'secret-named field',
    pattern: /"(?:[A-Za-z_-]*(?:auth_?token|authtoken|password|secret|api_?key_?secret))"\s*[:,]\s*"([^"]*)"/gi,
    allow: (m) => /"\[REDACTED\]"|""\s*$/.test(m),
  },
  { name: 'twilio account sid', pattern: /\bAC[0-9a-f]{32}\b/g },
  { name: 'twilio api key sid', pattern: /\bSK[0-9a-f]{32}\b/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { name: 'aws access key', pattern: /\bAKIA[0-9A-Z]{16}\b/g },
  { name: 'credentials in a URL', pattern: /\bhttps?:\/\/[^\s/:@"]+:[^\s/@"]+@/g },
];

function mask(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return value.slice(0, 4) + '…' + value.slice(-2);
}

/** Every suspicious value in `text` (a cassette file's contents), by line. */
export function lintCassetteText(text: string): LintFinding[] {
  const findings: LintFinding[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const rule of RULES) {
      for (const m of lineText.matchAll(rule.pattern)) {
        if (rule.allow?.(m[0])) continue;
        findings.push({ line: i + 1, rule: rule.name, excerpt: mask(m[0]) });
      }
    }
  });
  return findings;
}

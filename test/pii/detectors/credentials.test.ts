import { base64url } from './generators';
import { found } from './scan';

const BODY = 'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8fzNmI0Kdc8cqgFJ+dQg0ycKn\nV5kAgFHYk4NMK4uFVjBl4kNp0OCTuNK2XK8F2mZBSnk5e3xXwZCUJx9fXq0fQ3a0\nwTh9Xl0tV2pS';
const JWT = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url('{"sub":"1234567890","iat":1516239022}')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;

describe('AWS access key id detector', () => {
  it.each([
    ['a long-term key', 'aws_access_key_id = AKIAJ5Q3XZ7W4NRT2KLM', 'AKIAJ5Q3XZ7W4NRT2KLM'],
    ['a temporary key', '"AccessKeyId": "ASIAY34FZKBOKMUTVV7A"', 'ASIAY34FZKBOKMUTVV7A'],
    ['a role id', 'RoleId AROADBQP57FF2AEXAMPL in the trail', 'AROADBQP57FF2AEXAMPL'],
  ])('finds %s', (_, text, key) => {
    expect(found(text, 'aws_access_key')).toEqual([['aws_access_key', key]]);
  });

  it.each([
    ['an unknown prefix', 'AKIBIOSFODNN7EXAMPLE ABCAIOSFODNN7EXAMPLE'],
    ['too long (part of a longer token)', 'AKIAJ5Q3XZ7W4NRT2KLM1 and xAKIAJ5Q3XZ7W4NRT2KLM'],
    ['lower case', 'akiaiosfodnn7example'],
    ["AWS's documentation example", 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['another documentation id', '"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'aws_access_key')).toEqual([]);
  });
});

describe('AWS secret access key detector', () => {
  const secret = 'h3Zq8LmT/vK2pRx9Yb4NwE7uJc0sDf6GaQ1tVo5M';
  it.each([
    ['a credentials file', `[default]\naws_secret_access_key = ${secret}\n`],
    ['an env file', `export AWS_SECRET_ACCESS_KEY=${secret}`],
    ['STS JSON', `{"SecretAccessKey": "${secret}", "SessionToken": "x"}`],
    ['Python keyword arguments', `boto3.client("s3", aws_secret_access_key='${secret}')`],
    ['YAML', `aws_secret_key: "${secret}"`],
  ])('finds it in %s', (_, text) => {
    expect(found(text, 'aws_secret_key')).toEqual([['aws_secret_key', secret]]);
  });

  it.each([
    ['no AWS name', `checksum = ${secret}`],
    ['the wrong length', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE'],
    ['a reference', 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'aws_secret_key')).toEqual([]);
  });

  it.each([
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '"SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"',
  ])("reports AWS's documentation keys as neither type: %s", (text) => {
    expect(found(text, 'aws_secret_key')).toEqual([]);
    expect(found(text, 'secret_assignment')).toEqual([]);
  });
});

describe('private key detector', () => {
  it.each([
    ['RSA', 'RSA PRIVATE KEY'],
    ['PKCS#8', 'PRIVATE KEY'],
    ['EC', 'EC PRIVATE KEY'],
    ['OpenSSH', 'OPENSSH PRIVATE KEY'],
    ['encrypted PKCS#8', 'ENCRYPTED PRIVATE KEY'],
  ])('finds a %s block with real line breaks', (_, label) => {
    const block = `-----BEGIN ${label}-----\n${BODY}\n-----END ${label}-----`;
    expect(found(`Here is the key:\n${block}\nwhy does it fail?`, 'private_key')).toEqual([['private_key', block]]);
  });

  it('finds a PGP block with armour headers', () => {
    const block = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n${BODY}\n=Xk9a\n-----END PGP PRIVATE KEY BLOCK-----`;
    expect(found(block, 'private_key')).toEqual([['private_key', block]]);
  });

  it('finds a block whose line breaks are \\n escapes inside a JSON string', () => {
    const block = `-----BEGIN RSA PRIVATE KEY-----\\n${BODY.replace(/\n/g, '\\n')}\\n-----END RSA PRIVATE KEY-----`;
    expect(found(`{"private_key": "${block}\\n", "client_email": "x"}`, 'private_key')).toEqual([['private_key', block]]);
  });

  it('finds a truncated block up to the end of its body', () => {
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${BODY}\n\nthe rest got cut off`;
    expect(found(text, 'private_key')).toEqual([['private_key', text.slice(0, text.indexOf('\n\n'))]]);
  });

  it.each([
    ['public keys and certificates', `-----BEGIN PUBLIC KEY-----\n${BODY}\n-----END PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----`],
    ['code that names the armour lines', "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) parse(pem);\nconst END = '-----END RSA PRIVATE KEY-----';"],
    ['a header without a body', 'Paste the file that starts with -----BEGIN PRIVATE KEY----- here.'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'private_key')).toEqual([]);
  });
});

describe('JWT detector', () => {
  it.each([
    ['a bearer header', `Authorization: Bearer ${JWT}`],
    ['a cookie', `Cookie: session=${JWT}; Path=/`],
    ['a sentence ending in a full stop', `The token ${JWT}.`],
    ['a query string', `/callback?id_token=${JWT}&state=xyz`],
  ])('finds one in %s', (_, text) => {
    expect(found(text, 'jwt')).toEqual([['jwt', JWT]]);
  });

  it('finds an unsigned token (alg none) with its empty signature', () => {
    const token = `${base64url('{"alg":"none"}')}.${base64url('{"sub":"1"}')}.`;
    expect(found(`token ${token} here`, 'jwt')).toEqual([['jwt', token]]);
  });

  it.each([
    ['base64 of JSON without a header alg', `${base64url('{"typ":"JWT"}')}.${base64url('{"sub":"1"}')}.c2lnbmF0dXJl`],
    ['base64 that starts with eyJ but is not JSON', 'eyJhbGciOiJIUzI1NiIsInR5cCI.eyJzdWIi.abc'],
    ['a signed header with an empty signature', `${base64url('{"alg":"HS256"}')}.${base64url('{"sub":"1"}')}.`],
    ['two segments', `${base64url('{"alg":"HS256"}')}.${base64url('{"sub":"1"}')}`],
    // As jwt.io shows it, and as jsonwebtoken's, jose's and zod's docs and tests quote it.
    ["jwt.io's example token", 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ["jwt.io's example with other claims", `${base64url('{"alg":"RS256","typ":"JWT"}')}.${base64url('{"sub":"1234567890","name":"John Doe","admin":true,"iat":1516239022}')}.NHVaYe26MbtOYhSKkoKYdFVomg4i8ZJd8_-RU8VNbftc4TSMb4bXP3l3YlNWACwyXPGffz5aXHc6lty1Y2t4SWRqGteragsVdZufDn5BlnJl9pdR_kdVFUsra2rWKEofkZeIC4yWytE58sMIihvo9H1ScmmVwBcQP6XETqYd0aSHp1gOa9RdUPDvoXQ5oqygTqVtxaDr6wUFKrKItgBMzWIdNZ6y7O9E0DhEPTbE9rfBo6KTFsHAZnBg4lZG`],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'jwt')).toEqual([]);
  });

  it('finds a token whose claims merely share a value with the example', () => {
    const token = `${base64url('{"alg":"HS256"}')}.${base64url('{"sub":"1234567890","name":"Ada Lovelace"}')}.c2lnbmF0dXJlLXZhbHVl`;
    expect(found(`token ${token} here`, 'jwt')).toEqual([['jwt', token]]);
  });
});

describe('JWT detector, encrypted tokens', () => {
  it('finds a five-segment JWE, including one with an empty key segment (dir)', () => {
    const header = base64url('{"alg":"dir","enc":"A256GCM"}');
    const token = `${header}..${'a'.repeat(16)}.${'b'.repeat(40)}.${'c'.repeat(22)}`;
    expect(found(`jwe ${token} end`, 'jwt')).toEqual([['jwt', token]]);
  });
});

import { found } from './scan';

describe('email detector', () => {
  it.each([
    ['Please forward the invoice to jane.doe@example.com before Friday.', 'jane.doe@example.com'],
    ['Reply to <omar+billing@mail.acme.io> with the logs.', 'omar+billing@mail.acme.io'],
    ['{"to": "li_wei@uni-berlin.de", "cc": []}', 'li_wei@uni-berlin.de'],
    ["const admin = 'ROOT@EXAMPLE.COM';", 'ROOT@EXAMPLE.COM'],
    ['mailto:priya.sharma@corp.example.co.uk?subject=hi', 'priya.sharma@corp.example.co.uk'],
    ['Send it to 12345@qq.com.', '12345@qq.com'],
    ['contact: sam@xn--bcher-kva.example', 'sam@xn--bcher-kva.example'],
    ['(ana-silva@startup.ai)', 'ana-silva@startup.ai'],
  ])('finds the address in %j', (text, address) => {
    expect(found(text, 'email')).toEqual([['email', address]]);
  });

  it.each([
    ['a decorator', '@Component({ selector: "app" }) @Injectable() class A {}'],
    ['an scp-style git remote (a service account, not a mailbox)', 'git clone git@github.com:acme/payments.git'],
    ['an ssh target with a port', 'ssh deploy@build.example.com:2222'],
    ['URL user info', 'https://user@example.com/path and postgres://app:s3cret@db.example.com/app'],
    ['package versions', 'npm i lodash@4.17.21 @types/node@20.11.5 react@^18.3.1'],
    ['retina image names', 'logo@2x.png icon@3x.webp sprite@2x.svg'],
    ['a Docker digest', 'nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac'],
    ['hosts without a top-level domain', 'admin@localhost root@server01'],
    ['matrix multiplication', 'y = weights@inputs.T'],
    ['mentions', 'ping @here or @channel, cc @octocat'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'email')).toEqual([]);
  });
});

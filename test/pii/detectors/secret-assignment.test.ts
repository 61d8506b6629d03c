import { found } from './scan';

const SECRET = 'Xk9#mP2vL8qR5zT7wY3n';

describe('secret assignment detector', () => {
  it.each([
    ['an env file', `DB_PASSWORD=${SECRET}\n`],
    ['an exported shell variable', `export API_TOKEN="${SECRET}"`],
    ['JSON', `{"client_secret": "${SECRET}", "timeout": 30}`],
    ['JSON escaped inside a JSON string', `{"text": "{\\"password\\": \\"${SECRET}\\"}"}`],
    ['YAML', `database:\n  password: ${SECRET}\n  pool: 5`],
    ['TOML', `[auth]\ntoken = "${SECRET}"`],
    ['Python keyword arguments', `connect(host="db", passwd='${SECRET}')`],
    ['a camelCase name', `const apiSecret = '${SECRET}';`],
    ['a type annotation', `const signingKey: string = "${SECRET}";`],
    ['Go', `token := "${SECRET}"`],
    ['PHP', `$config['secret_key'] => '${SECRET}';`],
    ['a kebab-case header', `x-api-key: ${SECRET}`],
    ['an Authorization header', `Authorization: Bearer ${SECRET}`],
    ['a Basic Authorization header', `Authorization: Basic ${SECRET}`],
    ['a GitHub-style Authorization header', `Authorization: token ${SECRET}`],
    ['a CLI flag', `./deploy.sh --db-password=${SECRET} --verbose`],
    ['a query string', `GET /export?format=csv&access_token=${SECRET}&page=2`],
    ['YAML with Ruby symbol keys', `:redis:\n  :password: ${SECRET}\n`],
  ])('finds the value in %s', (_, text) => {
    expect(found(text, 'secret_assignment')).toEqual([['secret_assignment', SECRET]]);
  });

  it('keeps a value that starts like an auth scheme but is not one', () => {
    expect(found(`token: bearing_${SECRET}`, 'secret_assignment')).toEqual([['secret_assignment', `bearing_${SECRET}`]]);
  });

  it.each([
    ['references to the environment', 'const apiKey = process.env.OPENAI_API_KEY;\npassword = os.environ["DB_PASSWORD"]\ntoken := os.Getenv("GITHUB_TOKEN")'],
    ['template placeholders', 'api_key: "{{ .Values.apiKey }}"\nsecret: ${SECRET_VALUE_FROM_VAULT}\npassword: "%(db_password)s"\ntoken: <your-token-goes-here>'],
    ['placeholder values', 'API_KEY=your-api-key-here\nPASSWORD=changeme-changeme\nTOKEN=xxxxxxxxxxxxxxxxxxxx\nSECRET=[REDACTED-REDACTED]\nAUTH_TOKEN=****************'],
    ['UUIDs and short hex ids', 'api_key_id: 550e8400-e29b-41d4-a716-446655440000\ntoken: 550e8400-e29b-41d4-a716-446655440000\nkey: 3f2a9c1d8b7e6f50a1b2'],
    ['names that are about a secret, not the secret', 'max_tokens: 4096000000000000000\ntoken_url: https://auth.example.com/oauth/token\npublic_key: MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE\ncache_key: 3f2a9c1d8b7e6f50a1b2c3d4e5f6a7b8c9d0e1f2'],
    ['file paths and URLs', 'ssh_key = ~/.ssh/id_ed25519_github\nkeyFile: /etc/ssl/private/server.key\nauth: https://auth.example.com/oauth2/v1/token'],
    ['words', 'password: my-super-secret-password\nsecret = ThisIsMyPasswordValue'],
    ['comparisons', 'if (password == "Xk9#mP2vL8qR5zT7wY3n") {} else if (token !== "Xk9#mP2vL8qR5zT7wY3n") {}'],
    ['expressions', 'token = crypto.randomBytes(32).toString("hex")\nsecret_key = settings.SECRET_KEY'],
    ['calls', 'api_key=loadFromVault(SECRET_NAME)\npassword: getPasswordFromKeyring("db")'],
    ['short values', 'password: hunter2\ntoken: abc123'],
    // Shapes found in 40 MB of installed packages: code names secrets far more often than it holds one.
    ['member accesses', 'httpAuthSchemes: config?.httpAuthSchemes ?? [],\ncontext.authSchemes = endpoint.properties?.authSchemes;\nconst token = process.env[bearerTokenKey];\nsecretKey = this.#keyEncoding.format;\nhasToken: !!node.exclamationToken,'],
    ['interpolating templates', 'let key = `AWS4${credentials.secretAccessKey}`;'],
    ['values that spell their own name', 'exports.HttpApiKeyAuthSigner = HttpApiKeyAuthSigner;\n  INACCESSIBLE_ENCRYPTION_CREDENTIALS: "INACCESSIBLE_ENCRYPTION_CREDENTIALS",\nconst X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";'],
    ['identifiers made of words', 'const CREDENTIAL_QUERY_PARAM = "X-Amz-Credential";\nconst SMITHY_CONTEXT_KEY = "__smithy_context";\nauthorizer: TAuthorizerContext;\ntype OpeningBraceToken = OpeningBraceToken$1;\ncredentials: SignatureV4SignWithCredentials,\nauthOption: createSmithyApiNoAuthHttpAuthOption,'],
    ['identifiers in screaming snake case and OAuth names', 'const AUTH_ERROR = "INVALID_CREDENTIALS";\nconst IS_KEYED_SENTINEL = \'@@__IMMUTABLE_KEYED__@@\';\ntokenInput: CreateOAuth2TokenRequestBody | undefined;'],
    ["a parameter's name", 'export const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-Token";'],
    ['a public key pin', "const pubkey256 = 'pL1+qb9HTMRZJmuC/bB/ZI9d302BYrrqiVuRyW+DGrU=';"],
    // The first as the AWS SDK's docs write it, with entities for the service and the account.
    ['minified code', 'this.t={nonKeyAttributes:props.nonKeyAttributes??void 0,masterUserPassword:props.manageMasterUserPassword?void 0:p};exports.RateLimitedApiKey=exports.ApiKey=void 0;DatabaseSecret2=_classThis=_classDescriptor.value;x={registryCredential:secret?{credentialProvider:"SECRETS_MANAGER"}:void 0}'],
    ['lower-case paths and label keys', "objectKey: 'path/to/cert.pem',\nbucketKey: 'browser-recordings/',\n- key: node.kubernetes.io/instance-type"],
    ['C types in snake case', 'PKCS8_PRIV_KEY_INFO = pkcs8_priv_key_info_st\npthread_key_t = __darwin_pthread_key_t\n_ossl_old_des_key_schedule = _ossl_old_des_ks_struct'],
    ['escaped markup and format strings', `'<tag key="&lt;&amp;&quot;\\'&gt;" />'\nbase_key = "Software\\\\Python\\\\PythonCore\\\\{}.{}"`],
    ['subscripts', 'statetokens = tokendefs[statestack[-1]]\nKeyEntry = HT.TopLevelMap[ThisEntry->getKey()];'],
    ['a regular expression', 'export const GOOGLE_API_KEY = /AIza[A-Za-z0-9_-]{35}/y;'],
    ['text in another script', '"find_a_1_to_match_the_0_token_here_1007": "分析器预期在此处找到与“{0}”标记匹配的“{1}”。"'],
    ['AWS CDK type names', 'protected readonly authorizerProps: CfnAuthorizerProps;\nstatic readonly SECRETS_MANAGER: InterfaceVpcEndpointAwsService;'],
    ['the segments of an ARN or a URN', '"ARN": "arn:&asm-service-name;:us-west-2:&ExampleAccountId;:secret:MySecret1-a1b2c3",\nurn:example:token:Zk3vQp9LmW2xR7tYb'],
    ['scoped package paths', 'const looseKey = "@babel/plugin-class-features/looseKey";'],
    ["documentation's examples", "authorization_token: 'ghp_exampletoken',\nSessionToken: \"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI\""],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'secret_assignment')).toEqual([]);
  });

  it.each([
    ['base64url with digits before lower-case letters', 'uwEmr-Zol2msTdotkG6ojI'],
    ['capitals and digits', 'AIDAOSD7LRYOHMLPO7KI'],
    ['letters with a lone capital inside', 'gaWGovjdtbVOqrgn'],
    ['lower-case hex with a slash', '8d5214ea810e918af711f03fcd3ab3b2/'],
  ])('still finds random values that resemble identifiers: %s', (_, value) => {
    expect(found(`token = "${value}"`, 'secret_assignment')).toEqual([['secret_assignment', value]]);
  });
});

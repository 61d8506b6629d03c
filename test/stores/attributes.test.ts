import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import {
  type AttributeScalar,
  marshalItem,
  marshalValue,
  optionalString,
  readBoolean,
  readNumber,
  readString,
  unmarshalValue,
} from '../../lambda/stores/dynamo/attributes';
import { InternalError } from '../../lambda/errors/gateway-error';
import { useDynamo } from './dynamo-fixture';

// -0 is stored as "0": a number, not a sign, is what the stores keep.
const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value));
const scalar: fc.Arbitrary<AttributeScalar> = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  finiteNumber,
  fc.boolean(),
  fc.array(fc.string()),
);

describe('attribute marshalling', () => {
  it('round-trips every scalar kind', () => {
    fc.assert(fc.property(scalar, (value) => {
      expect(unmarshalValue(marshalValue(value))).toEqual(value);
    }));
  });

  it('refuses non-finite numbers and skips undefined fields', () => {
    expect(() => marshalValue(Number.NaN)).toThrow(InternalError);
    expect(() => marshalValue(Number.POSITIVE_INFINITY)).toThrow(InternalError);
    expect(marshalItem({ a: 'x', b: undefined })).toEqual({ a: { S: 'x' } });
  });

  it('reads numbers however the server formats them, and names a malformed attribute', () => {
    const item = { a: { N: '1.0' }, b: { N: '1e-7' }, c: { S: 'text' }, d: { BOOL: true } };
    expect(readNumber(item, 'a')).toBe(1);
    expect(readNumber(item, 'b')).toBe(1e-7);
    expect(readBoolean(item, 'd')).toBe(true);
    expect(optionalString(item, 'missing')).toBeUndefined();
    expect(() => readString(item, 'a')).toThrow(/attribute 'a'/);
    expect(() => readNumber(item, 'missing')).toThrow(/attribute 'missing'/);
  });

  describe('through the DynamoDB API', () => {
    const dynamo = useDynamo();
    // Numbers in DynamoDB's range (38 significant digits, magnitude 1e-130 .. 1e125) as costs,
    // token counts and latencies are.
    const storable = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.integer(),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((value) => value === 0 || Math.abs(value) > 1e-100)
        .map((value) => (Object.is(value, -0) ? 0 : value)),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 5 }),
    );

    it('round-trips items through a real server', async () => {
      let run = 0;
      await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), storable), async (fields) => {
        run += 1;
        const key = { pk: { S: `PROP#${run}` }, sk: { S: 'PROP' } };
        await dynamo().client.send(new PutItemCommand({ TableName: dynamo().tableName, Item: { ...marshalItem(fields), ...key } }));
        const { Item: item = {} } = await dynamo().client.send(new GetItemCommand({ TableName: dynamo().tableName, Key: key }));
        const { pk: _pk, sk: _sk, ...rest } = item;
        const read = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, unmarshalValue(value)]));
        expect(read).toEqual(fields);
      }), { numRuns: 60 });
    });
  });
});

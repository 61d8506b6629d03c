/**
 * Source code and tool output of the kind coding assistants send, without personal data or credentials:
 * hard negatives for every detector (numbers, hex, colons, `@`, `=` and key-ish names everywhere).
 */
export const CODE_SNIPPETS: readonly string[] = [
  `import { createHash, randomUUID } from 'node:crypto';

/** Retries with exponential backoff: 250 ms, 500 ms, 1 s … capped at 30_000 ms. */
export async function withRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  let delayMs = 250;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt === attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, 30_000)));
      delayMs *= 2;
    }
  }
  throw new Error('unreachable');
}

export const cacheKey = (body: string): string => createHash('sha256').update(body).digest('hex').slice(0, 16);
const MAX_SAFE = 9007199254740991;
const requestId = randomUUID();
const apiKey = process.env.OPENAI_API_KEY ?? '';
const headers = { Authorization: \`Bearer \${apiKey}\`, 'x-request-id': requestId, 'content-length': String(1_048_576) };
if (token == null || token === '') throw new Error('missing token');`,
  `from dataclasses import dataclass
import os, hashlib

@dataclass(frozen=True)
class Settings:
    database_url: str = os.environ.get("DATABASE_URL", "postgresql://localhost:5432/app")
    secret_key: str = os.environ["SECRET_KEY"]
    token_ttl_seconds: int = 3600
    max_tokens: int = 4096

@app.route("/users/<int:user_id>/orders", methods=["GET"])
@login_required
def list_orders(user_id: int):
    page = int(request.args.get("page", 1))
    rows = db.execute("SELECT id, total, created_at FROM orders WHERE user_id = %s LIMIT 50 OFFSET %s", (user_id, (page - 1) * 50))
    digest = hashlib.sha1(str(user_id).encode()).hexdigest()  # e.g. 356a192b7913b04c54574d18c28d46e6395428ab
    weights = features @ projection.T
    return {"orders": [dict(r) for r in rows], "page": page, "etag": digest[:12]}`,
  `package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	apiKey := os.Getenv("API_KEY")
	addr := fmt.Sprintf(":%d", 8080)
	srv := &http.Server{Addr: addr, ReadTimeout: 5 * time.Second, MaxHeaderBytes: 1 << 20}
	var buf [4096]byte
	_ = buf[1:2:3]
	fmt.Println(ctx, apiKey != "", srv.Addr, 0x7fffffff, 1e9, 3.14159)
}`,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
  labels: { app: payments, tier: backend, version: "2.14.3" }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api:2.14.3
          ports: [{ containerPort: 8080 }]
          resources: { limits: { cpu: 500m, memory: 512Mi }, requests: { cpu: 250m, memory: 256Mi } }
          env:
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: payments-db, key: password } }
            - name: API_TOKEN
              value: \${API_TOKEN}
            - name: LOG_LEVEL
              value: info`,
  `{
  "name": "@acme/web",
  "version": "3.2.0-beta.4",
  "engines": { "node": ">=20.11.1" },
  "dependencies": { "react": "^18.3.1", "next": "14.2.15", "@tanstack/react-query": "5.59.0", "zod": "~3.23.8" },
  "scripts": { "dev": "next dev -p 3000", "build": "next build" },
  "browserslist": ["> 0.5%", "last 2 versions", "not dead"],
  "packageManager": "pnpm@9.12.1+sha512.22721b3a11f81661ae1ec68ce1a7b879425a1ca5b991c975b074ac220b187ce56c708fe5db69f4c962c989452eee76c82877f4ee80f474cebd61ee13461b6228"
}`,
  `diff --git a/src/billing/invoice.ts b/src/billing/invoice.ts
index 3f2a9c1..8b7d4e0 100644
--- a/src/billing/invoice.ts
+++ b/src/billing/invoice.ts
@@ -41,9 +41,12 @@ export function invoiceTotal(lines: Line[]): number {
-  const taxRate = 0.19;
+  const taxRate = rates[country] ?? 0.19;
   const subtotal = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
-  return Math.round(subtotal * (1 + taxRate) * 100) / 100;
+  const total = Math.round(subtotal * (1 + taxRate) * 100) / 100;
+  log.debug({ invoiceId: 'INV-2024-000187', subtotal, total, at: '2024-11-05T09:41:07.123Z' });
+  return total;
 }`,
  `#include <vector>
#include <unordered_map>

namespace geo {
constexpr double kEarthRadiusM = 6'371'000.0;
std::vector<std::pair<double, double>> route{{52.520008, 13.404954}, {48.856613, 2.352222}};
auto Distance::between(const Point& a, const Point& b) -> double { return std::hypot(a.x - b.x, a.y - b.y); }
static_assert(sizeof(std::uint64_t) == 8, "64-bit");
}  // namespace geo`,
  `$ npm test
> jest --maxWorkers=2

PASS  test/billing/invoice.test.ts (4.812 s)
PASS  test/api/orders.test.ts (12.07 s)
Tests:       212 passed, 212 total
Snapshots:   0 total
Time:        17.553 s, estimated 21 s
Ran all test suites.
$ git log --oneline -3
a1b2c3d (HEAD -> main) fix(api): 429 handling
9f8e7d6 chore(deps): bump undici from 6.19.2 to 6.21.0
0c1d2e3 feat: export CSV (#1482)`,
  `SELECT o.id, o.total_cents, o.created_at, c.tier
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.created_at BETWEEN '2024-01-01 00:00:00' AND '2024-03-31 23:59:59'
  AND o.total_cents > 100000 AND o.id IN (1048576, 2097152, 4194304)
ORDER BY o.created_at DESC LIMIT 100; -- 12.3 ms, 1,234 rows`,
  `<template>
  <button class="btn" :style="{ color: '#1e90ff', padding: '4px 12px' }" @click="submit" :data-key="item.key">Pay €1.299,00</button>
</template>
<style scoped>
.btn:hover { background: #f5f5f5; transition: all .2s cubic-bezier(0.4, 0, 0.2, 1); }
@supports (display: grid) { .grid { grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); } }
</style>`,
  `{"tool_use_id": "toolu_01A09q90qw90lq917835lq9", "type": "tool_result", "content": [{"type": "text", "text": "Found 3 files:\\nsrc/auth/session.ts:42: const sessionTtlMs = 86_400_000;\\nsrc/auth/keys.ts:7: export const KEY_PREFIX = 'gllm_';\\nsrc/auth/keys.ts:19: const ID_LENGTH = 12;"}], "is_error": false}`,
  `Traceback (most recent call last):
  File "/usr/lib/python3.12/site-packages/urllib3/connectionpool.py", line 793, in urlopen
    response = self._make_request(conn, method, url, timeout=timeout_obj, body=body, headers=headers)
ConnectionResetError: [Errno 104] Connection reset by peer (after 30.001s, attempt 3/5)`,
];

/*
 * A second Liaison "instance" for tests: a separate process with its own audit queue and connections,
 * appending to one organisation's chain. Usage: tsx audit-writer.ts <orgId> <waves> <perWave>, with
 * DATABASE_URL set. Prints "ready", starts writing when it reads a line on stdin, then prints one JSON
 * line: the {id, seq, hash} it got for each event.
 */
import { once } from 'node:events';
import { recordAudit } from '../../lib/audit/record';
import { verifyAuditChain } from '../../lib/audit/verify';

async function main() {
  const [orgId, waves, perWave] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  await verifyAuditChain(orgId); // opens the audit connections before the start signal
  console.log('ready');
  await once(process.stdin, 'data');
  const results = [];
  for (let w = 0; w < waves; w++) {
    results.push(...await Promise.all(Array.from({ length: perWave }, (_, i) => recordAudit({
      orgId, type: 'test.instance', actor: { type: 'system', label: `instance ${process.pid}` }, details: { w, i },
    }))));
  }
  console.log(JSON.stringify(results));
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });

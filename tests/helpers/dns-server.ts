import fs from 'node:fs';
import dns2 from 'dns2';

const { Packet } = dns2;

export interface TestDnsServer {
  /** "127.0.0.1:<port>", for LIAISON_DNS_SERVERS. */
  address: string;
  /** Sets the TXT records of a name (each record one string, or its chunks); an empty list means the name exists with no TXT. */
  setTxt(name: string, records: Array<string | string[]>): void;
  /** Removes the name: queries then get NXDOMAIN. */
  remove(name: string): void;
  /** Queries for this name get no answer at all (the resolver times out). */
  silence(name: string): void;
  close(): Promise<void>;
}

/**
 * A real DNS server over UDP on 127.0.0.1 (dns2), answering TXT queries from an in-memory zone:
 * known names get their records, unknown names NXDOMAIN, silenced names nothing.
 */
export async function startDnsServer(opts: { zoneFile?: string } = {}): Promise<TestDnsServer> {
  const zone = new Map<string, Array<string | string[]>>();
  const silent = new Set<string>();
  const key = (n: string) => n.toLowerCase().replace(/\.$/, '');
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = key(q?.name ?? '');
      if (silent.has(name)) return;
      // A zone file (JSON: name → records) lets another process (an e2e spec) publish records.
      let records = zone.get(name);
      if (!records && opts.zoneFile) {
        try { records = (JSON.parse(fs.readFileSync(opts.zoneFile, 'utf8')) as Record<string, Array<string | string[]>>)[name]; } catch { /* no file yet */ }
      }
      if (!records) response.header.rcode = Packet.RCODE.NXDOMAIN;
      else if (q.type === Packet.TYPE.TXT) {
        for (const r of records) response.answers.push({ name: q.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data: r } as never);
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = server.addresses().udp?.port;
  if (!port) throw new Error("test DNS server: no UDP port");
  return {
    address: `127.0.0.1:${port}`,
    setTxt: (name, records) => { silent.delete(key(name)); zone.set(key(name), records); },
    remove: (name) => { silent.delete(key(name)); zone.delete(key(name)); },
    silence: (name) => { silent.add(key(name)); },
    close: async () => { await server.close(); },
  };
}

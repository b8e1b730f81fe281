import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on 127.0.0.1 (never assume 5432: the machine may run its own server). */
export function findFreePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen({ port, host: '127.0.0.1' }, () => {
        const address = srv.address();
        const chosen = typeof address === 'object' && address ? address.port : port;
        srv.close(() => resolve(chosen));
      });
    });
  return preferred ? tryPort(preferred).catch(() => tryPort(0)) : tryPort(0);
}

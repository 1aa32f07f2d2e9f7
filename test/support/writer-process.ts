// A FragmentWriter in a child process, driven over IPC. The fault tests need it unprivileged: root
// ignores directory permissions, so only then does chmod 0555 produce a real EACCES. The child
// starts as root and drops to the given uid once its modules are loaded: forked as that user, it
// could not read tsx or the sources from a checkout it cannot enter (a clone under /root, 0700).

import { FragmentWriter } from '../../src/write/fragment-writer.ts';

export type WriterRequest =
  | { readonly id: number; readonly op: 'start' }
  | { readonly id: number; readonly op: 'set'; readonly daemon: string; readonly content: string | null }
  | { readonly id: number; readonly op: 'status' }
  | { readonly id: number; readonly op: 'stop' };

export interface WriterReply {
  readonly id: number;
  readonly result: unknown;
}

const [dir, uid] = process.argv.slice(2);
if (dir === undefined || uid === undefined || process.send === undefined) throw new Error('usage: fork with an IPC channel, the output directory and a uid');
// Static imports are all loaded by now; from here on the writer runs as that user, groups included.
process.setgroups?.([]);
process.setgid?.(Number(uid));
process.setuid?.(Number(uid));
const send = process.send.bind(process);
const writer = new FragmentWriter({ dir, prefix: 'rs-', retryInitialMs: 20, retryMaxMs: 200 });

process.on('message', (request: WriterRequest) => {
  void handle(request).then((result) => {
    const reply: WriterReply = { id: request.id, result };
    // After `stop` nothing else keeps the child alive but the channel: close it once replied.
    send(reply, undefined, undefined, () => {
      if (request.op === 'stop') process.disconnect();
    });
  });
});

async function handle(request: WriterRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      return writer.start();
    case 'set':
      return writer.set(request.daemon, request.content);
    case 'status':
      return writer.status();
    case 'stop':
      await writer.stop();
      return null;
  }
}

// A FragmentWriter in a child process, driven over IPC. The fault tests fork it as an unprivileged
// user: root ignores directory permissions, so only then does chmod 0555 produce a real EACCES.

import { FragmentWriter } from './fragment-writer.ts';

export type WriterRequest =
  | { readonly id: number; readonly op: 'start' }
  | { readonly id: number; readonly op: 'set'; readonly daemon: string; readonly content: string | null }
  | { readonly id: number; readonly op: 'status' }
  | { readonly id: number; readonly op: 'stop' };

export interface WriterReply {
  readonly id: number;
  readonly result: unknown;
}

const dir = process.argv[2];
if (dir === undefined || process.send === undefined) throw new Error('usage: fork with an IPC channel and the output directory');
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

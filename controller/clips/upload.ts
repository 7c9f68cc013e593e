// The clip upload's refusals over common/upload.ts, which streams the body to a temp file.
import { type Received, receiveUpload as receive } from '../../common/upload.ts';
import { badRequest, HttpError } from '../http/errors.ts';

export type { Received };

/** Field `file` into `tmpDir`, and `title`; 413 `too_large` over `maxBytes`, 400 for a bad body. */
export const receiveUpload = (req: Request, tmpDir: string, maxBytes: number) =>
  receive(req, {
    tmpDir,
    maxBytes,
    refuse: (status, message) =>
      status === 413 ? new HttpError(413, 'too_large', message) : badRequest(message),
  });

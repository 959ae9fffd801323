import { redactString } from '@vigil/redaction';

import type { ReportDocument } from './report-document';
import { renderHtml } from './html-renderer';
import { renderText } from './text-renderer';

export interface ReportEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Subject and both parts of a report e-mail. The document is already redacted; the rendered
 * strings are scrubbed once more so nothing reaches SMTP without passing through the redactor.
 */
export function composeReportEmail(document: ReportDocument): ReportEmail {
  return {
    subject: redactString(document.headline),
    text: redactString(renderText(document)),
    html: redactString(renderHtml(document)),
  };
}

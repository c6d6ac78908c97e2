/**
 * "Download PDF": the API's printout of an order or a day (drawn by the server, the same file
 * a business's own system gets), saved under its name, in the console's language.
 */

import { useDesk } from "./app";
import { Problem, useAction } from "./lines";

export function PdfButton({ path, name, query = {} }: { path: string; name: string; query?: Record<string, string> }) {
  const { t, fmt, api } = useDesk();
  const download = useAction();
  const save = () =>
    download.run(async () => {
      const file = await api.pdf(path, { ...query, lang: fmt.locale.startsWith("zh") ? "zh-Hans" : "en" });
      const url = URL.createObjectURL(file);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser has taken it
    });
  return (
    <>
      <button type="button" onClick={save} disabled={download.busy}>
        {t("download_pdf")}
      </button>
      <Problem text={download.error} />
    </>
  );
}

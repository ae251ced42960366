import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";

/** An endpoint's signing secret, shown this once (after creation or rotation), with a copy button. */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [isCopied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      toast.success("Copied the signing secret.");
    } catch {
      toast.error("Could not copy: select the secret and copy it by hand.");
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <p
        role="status"
        className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      >
        <strong>Copy this secret now: you won’t see it again.</strong> Your receiver needs it to check that deliveries
        come from Keel. If it is lost, rotate it.
      </p>
      <TextField
        label="Signing secret"
        value={secret}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        className="font-mono text-sm"
      />
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Deliveries follow the Standard Webhooks specification: verify the <code>webhook-signature</code> header with any
        of its libraries.
      </p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => void copy()}>{isCopied ? "Copied" : "Copy secret"}</Button>
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

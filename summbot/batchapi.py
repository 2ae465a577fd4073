"""Large jobs through OpenAI's Batch API: half the price, answers within 24 hours.

``summbot batch ... --via batch-api`` runs in two visits to the same output folder:

1. **Submit.** Articles are read, named and looked up in the response cache exactly as in a
   direct batch. For each article still to do, the request the openai engine would send (the
   same wire body, built by ``summbot.engines.openai.wire_body``) becomes one JSONL line with a
   ``custom_id``; the file is kept as ``OUTDIR/batch-requests.jsonl``, uploaded with the Files
   API, and a batch is created. Its id goes into ``manifest.json``. Articles too long for one
   request (map-reduce) are summarised through the normal path at once.
2. **Collect.** Running the same command again (or with ``--resume``) asks for the batch. When it
   has finished, its output and error files are downloaded, every answer is matched to its
   article by ``custom_id`` and goes through the same parsing, repair and grounding as a live
   answer (``batch.PrefilledEngine``), and the same markdown is written. Items the batch failed
   or let expire are reported; ``--retry-failed`` sends them through the normal path.

``summbot batch status OUTDIR`` shows the batch's progress in between. Each visit holds the
output folder's lock (``batch.lock_outdir``) from reading the manifest to recording the batch's
id, so two visits at once cannot both submit the same articles.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .batch import (
    BatchApiState,
    BatchOptions,
    BatchResult,
    InputItem,
    OnEvent,
    atomic_write,
    lock_outdir,
    read_manifest,
    run_batch,
    write_outputs,
)
from .engines.base import Completion, Engine
from .errors import ConfigError, EngineError, SummbotError

if TYPE_CHECKING:
    from .cache import ResponseCache
    from .templates import Prompts

REQUESTS_FILE = "batch-requests.jsonl"
ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
#: Statuses after which a batch changes no more.
FINAL = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass
class BatchApiOutcome:
    """Either a run happened (``result``), or the batch is still working (``waiting`` says so)."""

    result: BatchResult | None
    waiting: str | None = None


def _client(engine: Engine) -> Any:
    if engine.name == "openai" and not hasattr(engine, "client"):
        raise ConfigError("--via batch-api cannot record exchanges; drop --record or --via batch-api.")
    if engine.name != "openai" or not hasattr(engine, "client"):
        raise ConfigError(
            f"--via batch-api needs the openai engine (this run uses {engine.name}); pass "
            "--engine openai with OPENAI_API_KEY set, or drop --via batch-api."
        )
    return engine.client()


def _api_error(engine: Engine, action: str, error: Exception) -> EngineError:
    where = getattr(engine, "base_url", "the server")
    status = getattr(error, "status_code", None)
    message = getattr(error, "message", None) or str(error)
    detail = f"{status}: {message}" if status else message
    return EngineError(
        f"The Batch API at {where} could not {action} ({' '.join(str(detail).split())[:200]}); "
        "check that the server supports /v1/files and /v1/batches, or use --via direct."
    )


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    dump = getattr(value, "model_dump", None)
    return dump() if dump is not None else dict(value)


def retrieve_batch(engine: Engine, batch_id: str) -> dict[str, Any]:
    """The batch object as a dict."""
    client = _client(engine)
    try:
        return _as_dict(client.batches.retrieve(batch_id))
    except SummbotError:
        raise
    except Exception as error:  # noqa: BLE001 - the SDK's errors become summbot's here
        raise _api_error(engine, f"find batch {batch_id}", error) from None


def describe(batch: dict[str, Any]) -> str:
    """One line on a batch's progress."""
    counts = batch.get("request_counts") or {}
    total, done, failed = counts.get("total", 0), counts.get("completed", 0), counts.get("failed", 0)
    status = batch.get("status", "?")
    line = f"Batch {batch.get('id')} is {status}: {done} of {total} requests done, {failed} failed."
    if status not in FINAL:
        line += " Run the same batch command again to collect the results once it has completed."
    return line


def _download(engine: Engine, file_id: str) -> list[dict[str, Any]]:
    client = _client(engine)
    try:
        content = client.files.content(file_id)
        text = content.text if hasattr(content, "text") else content.read().decode("utf-8")
    except Exception as error:  # noqa: BLE001
        raise _api_error(engine, f"download file {file_id}", error) from None
    rows = []
    for line in text.splitlines():
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
    return rows


def collect_results(engine: Engine, batch: dict[str, Any]) -> tuple[dict[str, Completion], dict[str, str]]:
    """Answers by custom_id, and the reason for each item that has none."""
    from .engines.openai import completion_from_wire

    answers: dict[str, Completion] = {}
    failures: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for key in ("output_file_id", "error_file_id"):
        if batch.get(key):
            rows.extend(_download(engine, str(batch[key])))
    for row in rows:
        custom_id = str(row.get("custom_id"))
        response = row.get("response") or {}
        error = row.get("error")
        body = response.get("body") if isinstance(response, dict) else None
        status = response.get("status_code") if isinstance(response, dict) else None
        if error or status != 200 or not isinstance(body, dict):
            reason = ""
            if isinstance(error, dict):
                reason = f"{error.get('code') or 'error'}: {error.get('message') or ''}".strip()
            elif isinstance(body, dict) and isinstance(body.get("error"), dict):
                reason = f"{status}: {body['error'].get('message') or ''}".strip()
            failures[custom_id] = reason or f"status {status}"
            continue
        try:
            answers[custom_id] = completion_from_wire(body, engine.model, origin="the Batch API")
        except SummbotError as problem:
            failures[custom_id] = str(problem)
    if batch.get("status") in ("failed", "cancelled", "expired"):
        errors = (batch.get("errors") or {}).get("data") or []
        reason = "; ".join(str(e.get("message")) for e in errors if isinstance(e, dict)) or (
            f"the batch {batch.get('status')}")
        failures.setdefault("*", reason)
    return answers, failures


def submit(engine: Engine, lines: list[dict[str, Any]], outdir: Any, note: str) -> dict[str, Any]:
    """Write the JSONL, upload it, create the batch; returns what the manifest records."""
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    atomic_write(outdir / REQUESTS_FILE, text)
    client = _client(engine)
    try:
        uploaded = _as_dict(client.files.create(file=(REQUESTS_FILE, text.encode("utf-8")), purpose="batch"))
    except Exception as error:  # noqa: BLE001
        raise _api_error(engine, "upload the requests", error) from None
    try:
        created = _as_dict(client.batches.create(
            input_file_id=uploaded["id"], endpoint=ENDPOINT, completion_window=COMPLETION_WINDOW,
            metadata={"summbot": note[:500]},
        ))
    except Exception as error:  # noqa: BLE001
        raise _api_error(engine, "create the batch", error) from None
    return {
        "id": created["id"],
        "input_file_id": uploaded["id"],
        "status": created.get("status"),
        "requests": len(lines),
        "submitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "collected": False,
    }


def run_via_batch_api(
    items: list[InputItem],
    engine: Engine,
    options: BatchOptions,
    *,
    prompts: Prompts | None = None,
    cache: ResponseCache | None = None,
    on_event: OnEvent | None = None,
    retry_failed: bool = False,
) -> BatchApiOutcome:
    """Submit a batch, or collect the one the output folder is waiting for (see the module doc).

    Raises ``OutputLocked`` when another batch is writing to the output folder."""
    _client(engine)  # fail early, before reading anything, when the engine cannot do this
    if options.dry_run:
        return _run_via_batch_api(items, engine, options, prompts, cache, on_event, retry_failed)
    with lock_outdir(options.outdir):
        return _run_via_batch_api(items, engine, options, prompts, cache, on_event, retry_failed)


def _run_via_batch_api(
    items: list[InputItem],
    engine: Engine,
    options: BatchOptions,
    prompts: Prompts | None,
    cache: ResponseCache | None,
    on_event: OnEvent | None,
    retry_failed: bool,
) -> BatchApiOutcome:
    from .engines.openai import wire_body

    previous = read_manifest(options.outdir)
    job = (previous or {}).get("batch_api")
    state = BatchApiState(retry_failed=retry_failed)
    if job and not job.get("collected"):
        batch = retrieve_batch(engine, str(job["id"]))
        if batch.get("status") not in FINAL:
            return BatchApiOutcome(None, describe(batch))
        state.answers, state.failures = collect_results(engine, batch)
        if "*" in state.failures:
            reason = state.failures.pop("*")
            for entry in (previous or {}).get("articles", []):
                cid = entry.get("custom_id")
                if entry.get("status") == "submitted" and cid and cid not in state.answers:
                    state.failures.setdefault(cid, reason)
        job = {**job, "status": batch.get("status"), "collected": True,
               "request_counts": batch.get("request_counts"), "failures": dict(state.failures)}
    elif job:
        # Collected earlier: what it failed stays failed until --retry-failed sends it directly.
        state.failures = dict(job.get("failures") or {})
    result = run_batch(items, engine, options, prompts=prompts, cache=cache, on_event=on_event,
                       batch_api=state)
    result.batch_api = job
    if state.submit and not options.dry_run and not result.stopped:
        options_body = getattr(engine, "options", None)
        lines = [
            {"custom_id": entry.custom_id, "method": "POST", "url": ENDPOINT,
             "body": wire_body(request, engine.model, stream=False, options=options_body)}
            for entry, request in state.submit
        ]
        result.batch_api = submit(engine, lines, options.outdir, note=str(options.outdir))
        write_outputs(result, complete=False)
    elif job is not None:
        write_outputs(result, complete=not result.stopped and not result.not_run)
    return BatchApiOutcome(result)

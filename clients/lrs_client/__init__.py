"""lrs-client: the zeep reference client for the lrs-soap native face (/soap/v1).

It knows the gateway only through its WSDL and XSD. The one exception is rules.py: the
offline batch validator reuses the server's pure rule modules (its domain package only) so that
every rule exists once; tests/cli checks no other module imports the server package.

    connection.py    settings (flags > environment > config file) and the zeep client/service
    render.py        replies: rich tables for people, JSON for scripts, one-line errors
    codes.py         response-code and failure-flag labels (per operation where they differ)
    replydata.py     a zeep reply as plain data
    job_output.py    batch file errors, job progress bar, Get*Batch replies
    fault_output.py  SOAP faults
    learners.py      find-by-uln, find-by-demographics, verify-learner
    registration.py  register-learner, update-learner
    batchkinds.py    the LRB/VLD/ACH kinds, file errors and the file as read
    batchfiles.py    a batch file read: name, header and count checked, records read by
    batchcsv.py        the CSV reader
    batchxml.py        the XML reader
    batchmessage.py  the Submit*Batch message, one record per line; faults mapped to lines
    rules.py         the record rules the schema cannot express (from the server's domain)
    validate.py      validate: the offline Validation Tool
    batches.py       submit-*-batch, get-batch: progress, results and error CSVs
    plr.py           get-learner-record, learner-record-audit, uln-report
    challenges.py    raise-event-challenge, event-challenges, resolve-event-challenge,
                     raise-uln-challenge, uln-challenges
    cli.py           argparse, dispatch and exit codes
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lrs-soap")
except PackageNotFoundError:  # run from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]

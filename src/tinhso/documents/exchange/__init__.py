"""Exchange of documents with other agencies as edXML packages (QCVN 102:2016) through the
connector ``TINHSO_DOCUMENT_EXCHANGE`` names (``tinhso.documents.connectors``): see
``docs/operations/document-exchange.md``.

- ``document_send``: an issued (and signed) outgoing document queued as one package for each
  addressee outside this installation;
- ``exchange_send_pending``: what waits handed to the connector, failures retried;
- ``exchange_receive``: packages registered as incoming documents (signatures checked), bad
  ones refused with the reason, statuses recorded on the documents they answer;
- ``package_import`` / ``package_export``: the same by hand, with a file;
- statuses flow back to the sender as the document is received, assigned, handled, answered.
"""

from tinhso.documents.exchange.inbound import (
    ReceiveReport,
    exchange_receive,
    installation_units,
    package_import,
    refuse_package,
    register_package,
)
from tinhso.documents.exchange.outbound import (
    SendReport,
    active_connector,
    document_send,
    exchange_send_pending,
    package_export,
)
from tinhso.documents.exchange.statuses import connect, record_status

__all__ = ["ReceiveReport", "SendReport", "active_connector", "connect", "document_send",
           "exchange_receive", "exchange_send_pending", "installation_units", "package_export",
           "package_import", "record_status", "refuse_package", "register_package"]

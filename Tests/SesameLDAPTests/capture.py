"""Captures answers of a real slapd for LDAPServerAnswerTests.swift (the hex there came from this).

Start an OpenLDAP 2.5 slapd with the ppolicy and memberof overlays and the entries listed in
LDAPServerAnswerTests.swift (suffix dc=example,dc=com, rootdn cn=admin / secret), then run
`.venv/bin/python Tests/SesameLDAPTests/capture.py PORT`. Requests are built with ldap3's
builders and sent over a plain socket, so every byte printed is exactly what slapd sent.

`capture.py ad` instead captures Active Directory's answers from the Samba AD DC that
scripts/ldap-servers starts (LDAPS on 127.0.0.1:636, read-only: a refused bind of an account that
does not exist, the service account's bind, searches).
"""
import socket
import sys

from ldap3 import SIMPLE, SUBTREE, BASE, DEREF_NEVER
from ldap3.operation.bind import bind_operation
from ldap3.operation.search import search_operation
from ldap3.operation.modify import modify_operation
from ldap3.operation.extended import extended_operation
from ldap3.protocol.rfc4511 import LDAPMessage, MessageID, ProtocolOp
from ldap3.protocol.convert import build_controls_list
from ldap3.protocol.rfc2696 import paged_search_control
from ldap3.protocol.rfc3062 import PasswdModifyRequestValue
from ldap3.utils.asn1 import encode

PORT = 636 if sys.argv[1] == 'ad' else int(sys.argv[1])
PPOLICY = ('1.3.6.1.4.1.42.2.27.8.5.1', False, None)


def frame(sock):
    """One whole BER message from the socket (definite lengths only)."""
    def read(n):
        data = b''
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    head = read(2)
    if head[1] < 0x80:
        return head + read(head[1])
    extra = read(head[1] & 0x7f)
    return head + extra + read(int.from_bytes(extra, 'big'))


def exchange(sock, message_id, kind, request, controls=None, answers=1):
    message = LDAPMessage()
    message['messageID'] = MessageID(message_id)
    message['protocolOp'] = ProtocolOp().setComponentByName(kind, request)
    built = build_controls_list(controls)
    if built is not None:
        message['controls'] = built
    sock.sendall(encode(message))
    return [frame(sock) for _ in range(answers)]


def connect():
    sock = socket.create_connection(('127.0.0.1', PORT))
    if sys.argv[1] != 'ad':
        return sock
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # capture only: the bytes inside TLS are what matters
    return context.wrap_socket(sock)


def show(name, answers):
    for index, answer in enumerate(answers):
        print(f'{name}{index if len(answers) > 1 else ""} {answer.hex()}')


def bind(name, password):
    with connect() as sock:
        return exchange(sock, 1, 'bindRequest', bind_operation(3, SIMPLE, name, password), [PPOLICY])


if sys.argv[1] == 'ad':
    base = 'DC=sesame,DC=test'
    show('adBindUnknownUser', bind(f'CN=nobody,CN=Users,{base}', 'wrong'))
    with connect() as sock:
        show('adBindService', exchange(sock, 1, 'bindRequest', bind_operation(3, SIMPLE, f'CN=sesame-svc,CN=Users,{base}', 'Svc-Passw0rd!')))
        user = search_operation(base, '(sAMAccountName=sesame-svc)', SUBTREE, DEREF_NEVER, ['objectGUID', 'objectSid', 'sAMAccountName'], 0, 0, False, False, False)
        answers = []
        sock.sendall(encode((lambda m: (m.setComponentByName('messageID', MessageID(2)),
                                         m.setComponentByName('protocolOp', ProtocolOp().setComponentByName('searchRequest', user)),
                                         m.setComponentByName('controls', build_controls_list([paged_search_control(False, 1, None)])), m)[-1])(LDAPMessage())))
        while True:
            answers.append(frame(sock))
            if answers[-1][answers[-1].index(b'\x02\x01\x02') + 3] == 0x65:  # searchResultDone
                break
        show('adPagedSearch', answers)
    sys.exit(0)

people = 'ou=people,dc=example,dc=com'
show('bindExpiryWarning', bind(f'uid=alice,{people}', 'alice-pw'))
show('bindGraceLogins', bind(f'uid=grace,{people}', 'grace-pw'))
show('bindAccountLocked', bind(f'uid=locked,{people}', 'locked-pw'))
show('bindMustChange', bind(f'uid=reset,{people}', 'reset-pw'))
show('bindWrongPassword', bind('cn=admin,dc=example,dc=com', 'wrong'))

with connect() as sock:
    exchange(sock, 1, 'bindRequest', bind_operation(3, SIMPLE, 'cn=admin,dc=example,dc=com', 'secret'))
    search = search_operation(people, '(objectClass=inetOrgPerson)', SUBTREE, DEREF_NEVER, ['cn', 'jpegPhoto'], 0, 0, False, False, False)
    show('pagedSearch', exchange(sock, 2, 'searchRequest', search, [paged_search_control(False, 1, None)], answers=2))
    missing = search_operation('ou=nothing,dc=example,dc=com', '(objectClass=*)', BASE, DEREF_NEVER, ['1.1'], 0, 0, False, False, False)
    show('searchNoSuchObject', exchange(sock, 3, 'searchRequest', missing))
    show('whoAmI', exchange(sock, 4, 'extendedReq', extended_operation('1.3.6.1.4.1.4203.1.11.3')))
    change = modify_operation(f'uid=alice,{people}', {'description': [(2, ['captured'])]}, False)
    show('modify', exchange(sock, 5, 'modifyResponse' if False else 'modifyRequest', change))
    value = PasswdModifyRequestValue()
    value.setComponentByName('userIdentity', f'uid=reset,{people}')
    show('passwordModifyGenerated', exchange(sock, 6, 'extendedReq', extended_operation('1.3.6.1.4.1.4203.1.11.1', value)))
    show('startTLSRefused', exchange(sock, 7, 'extendedReq', extended_operation('1.3.6.1.4.1.1466.20037')))

with connect() as sock:
    # An undecodable PDU: slapd answers with the unsolicited Notice of Disconnection, then closes.
    sock.sendall(bytes.fromhex('300602010177010a'))
    show('noticeOfDisconnection', [frame(sock)])

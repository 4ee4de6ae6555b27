"""Byte vectors for LDAPWireVectorTests.swift, made by Python's ldap3 2.9.1 (pyasn1 BER encoder).

Re-run with `.venv/bin/python Tests/SesameLDAPTests/vectors.py`; it prints one line per message,
`name hex`, in the order the Swift tests list them. Each message is built the way ldap3's
BaseStrategy.send builds it: the operation builders, then LDAPMessage with controls, then encode.
"""
from ldap3.operation.bind import bind_operation
from ldap3.operation.search import search_operation
from ldap3.operation.modify import modify_operation
from ldap3.operation.extended import extended_operation
from ldap3.operation.unbind import unbind_operation
from ldap3.operation.abandon import abandon_operation
from ldap3.protocol.rfc4511 import LDAPMessage, MessageID, ProtocolOp
from ldap3.protocol.convert import build_controls_list
from ldap3.protocol.rfc2696 import paged_search_control
from ldap3.protocol.rfc3062 import PasswdModifyRequestValue
from ldap3.utils.asn1 import encode
from ldap3 import SIMPLE, SUBTREE, BASE, LEVEL, DEREF_NEVER, DEREF_ALWAYS


def message(message_id, kind, request, controls=None):
    ldap_message = LDAPMessage()
    ldap_message['messageID'] = MessageID(message_id)
    ldap_message['protocolOp'] = ProtocolOp().setComponentByName(kind, request)
    built = build_controls_list(controls)
    if built is not None:
        ldap_message['controls'] = built
    return encode(ldap_message).hex()


def search(base, flt, scope, deref, attributes, size=0, time=0, types_only=False):
    return search_operation(base, flt, scope, deref, attributes, size, time, types_only, False, False)


PPOLICY = ('1.3.6.1.4.1.42.2.27.8.5.1', False, None)
vectors = [
    ('bindSimple', message(1, 'bindRequest', bind_operation(3, SIMPLE, 'cn=admin,dc=example,dc=com', 'secret'))),
    ('bindWithPolicy', message(2, 'bindRequest', bind_operation(3, SIMPLE, 'uid=j\u00f6rg,ou=people,dc=example,dc=com', 'p\u00e4ss w0rd'), [PPOLICY])),
    ('searchPaged', message(3, 'searchRequest',
        search('dc=example,dc=com', '(&(objectClass=person)(|(uid=jdoe)(mail=jdoe@example.com)))', SUBTREE, DEREF_NEVER, ['uid', 'mail', 'memberOf']),
        [paged_search_control(False, 100, None)])),
    ('searchPagedCookie', message(4, 'searchRequest',
        search('ou=groups,dc=example,dc=com', '(objectClass=groupOfNames)', LEVEL, DEREF_ALWAYS, ['cn'], 500, 30),
        [paged_search_control(True, 50, b'\x01\x02\xff')])),
    ('searchFilters', message(5, 'searchRequest',
        search('', '(|(cn=Jo*hn*Sm\\2aith)(!(age>=30))(age<=12)(sn~=smyth)(cn=*end)(cn=start*)(x-attr;lang-en=*)(cn=a\\28b\\29c\\5c\\00))', BASE, DEREF_NEVER, ['1.1'], 0, 0, True))),
    ('searchExtensible', message(6, 'searchRequest',
        search('dc=sesame,dc=test', '(&(objectClass=group)(member:1.2.840.113556.1.4.1941:=CN=J\\c3\\b6rg,CN=Users,DC=sesame,DC=test)(cn:dn:=users)(:caseExactMatch:=X))', SUBTREE, DEREF_NEVER, ['cn', 'objectGUID']))),
    ('modifyUnicodePwd', message(7, 'modifyRequest', modify_operation('CN=Jane,CN=Users,DC=sesame,DC=test',
        {'unicodePwd': [(1, [b'"\x00o\x00l\x00d\x00"\x00']), (0, [b'"\x00n\x00e\x00w\x00"\x00'])],
         'description': [(2, ['one', 'two'])]}, False))),
    ('passwordModify', message(8, 'extendedReq', extended_operation('1.3.6.1.4.1.4203.1.11.1',
        (lambda v: (v.setComponentByName('userIdentity', 'uid=jdoe,ou=people,dc=example,dc=com'),
                    v.setComponentByName('oldPasswd', 'old-secret'),
                    v.setComponentByName('newPasswd', 'new-secret'), v)[-1])(PasswdModifyRequestValue())))),
    ('startTLS', message(9, 'extendedReq', extended_operation('1.3.6.1.4.1.1466.20037'))),
    ('whoAmI', message(300, 'extendedReq', extended_operation('1.3.6.1.4.1.4203.1.11.3'))),
    ('unbind', message(70000, 'unbindRequest', unbind_operation())),
    ('abandon', message(2147483647, 'abandonRequest', abandon_operation(128))),
]
for name, hexed in vectors:
    print(name, hexed)

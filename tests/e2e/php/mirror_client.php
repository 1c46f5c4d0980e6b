<?php
// A PHP SoapClient as Sunesis uses the live LRS (lrs-wire 10): the WSDL, a client
// certificate (local_cert, PEM with its key) and the CA that signed the server's.
// Usage: php mirror_client.php WSDL LOCATION CA CERT|- ; prints one JSON object.
[$script, $wsdl, $location, $ca, $cert] = $argv;
$ssl = ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true];
$options = ['cache_wsdl' => WSDL_CACHE_NONE, 'exceptions' => true, 'trace' => 1,
            'location' => $location];
if ($cert !== '-') {
    $ssl['local_cert'] = $cert;
    $options['local_cert'] = $cert;
}
$options['stream_context'] = stream_context_create(['ssl' => $ssl]);
$client = null;
try {
    $client = new SoapClient($wsdl, $options);
    if (str_contains($location, 'LearnerServiceR9')) {
        $result = $client->GetOrganisation([
            'invokingOrganisation' => ['ChannelCode' => 'WebServices',
                                       'Password' => 'DemoCollege2026!',
                                       'Ukprn' => '10000001', 'Username' => 'demo'],
            'userType' => 'ORG', 'vendorId' => 1, 'language' => 'ENG',
            'ukPrn' => null, 'orgRef' => null]);
        $code = $result->GetOrganisationResult->ResponseCode;
    } else {
        $result = $client->learnerByULN([
            'FindType' => 'FUL', 'OrganisationRef' => null, 'UKPRN' => '10000001',
            'OrgPassword' => 'DemoCollege2026!', 'UserName' => 'demo',
            'ULN' => '1026893096', 'FamilyName' => 'Example', 'GivenName' => 'Sam']);
        $code = $result->ResponseCode;
    }
    echo json_encode(['code' => $code]);
} catch (SoapFault $fault) {
    echo json_encode(['fault' => $fault->faultcode, 'message' => $fault->getMessage(),
                      'response' => $client ? (string) $client->__getLastResponseHeaders() : '']);
}
